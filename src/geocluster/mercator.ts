/**
 * Web-Mercator coordinates normalised to [0, 1] (the world is one 256·2^z-pixel square at zoom z),
 * as Supercluster indexes points: a pixel radius r at zoom z is r / (256·2^z) in these units.
 */
export const lonToX = (lon: number): number => lon / 360 + 0.5;

export function latToY(lat: number): number {
  const s = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + s) / (1 - s))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

export const radiusToUnits = (radiusPx: number, zoom: number, tileSize = 256): number => radiusPx / (tileSize * 2 ** zoom);
