/**
 * A stored shape → what a map at zoom z needs (geopreview, geopolygon):
 *  1. Douglas–Peucker at one pixel of the zoom (src/download/simplify.ts: 360 / (256·2^z) degrees);
 *  2. coordinates rounded to an eighth of that pixel (1 decimal at the world zoom, 4 at zoom 10),
 *     then consecutive repeats dropped: digits below a pixel only make the answer bigger (a world map
 *     of the 3,230 US counties goes from about 2 MB to about half a megabyte) and slower to parse;
 *     a ring left with fewer than 4 positions keeps its rounded positions, so no shape disappears.
 */
import { type Geometry, type Position, simplifyGeometry, toleranceForZoom } from '../download/simplify';

export function decimalsForZoom(zoom: number): number {
  return Math.min(15, Math.max(0, Math.ceil(Math.log10(8 / toleranceForZoom(zoom)))));
}

function roundLine(line: readonly Position[], factor: number, ring: boolean): Position[] {
  const rounded = line.map((p) => p.map((n) => Math.round(n * factor) / factor));
  const kept = rounded.filter((p, i) => i === 0 || p[0] !== rounded[i - 1]![0] || p[1] !== rounded[i - 1]![1]);
  if (ring ? kept.length >= 4 : kept.length >= 2) return kept;
  return rounded;
}

function roundGeometry(g: Geometry, factor: number): Geometry {
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      return { type: g.type, coordinates: (c as number[]).map((n) => Math.round(n * factor) / factor) };
    case 'MultiPoint':
      return { type: g.type, coordinates: (c as Position[]).map((p) => p.map((n) => Math.round(n * factor) / factor)) };
    case 'LineString':
      return { type: g.type, coordinates: roundLine(c as Position[], factor, false) };
    case 'MultiLineString':
      return { type: g.type, coordinates: (c as Position[][]).map((l) => roundLine(l, factor, false)) };
    case 'Polygon':
      return { type: g.type, coordinates: (c as Position[][]).map((r) => roundLine(r, factor, true)) };
    case 'MultiPolygon':
      return { type: g.type, coordinates: (c as Position[][][]).map((p) => p.map((r) => roundLine(r, factor, true))) };
    case 'GeometryCollection':
      return { type: g.type, geometries: (g.geometries ?? []).map((m) => roundGeometry(m, factor)) };
    default:
      return g;
  }
}

export function mapGeometry(g: Geometry, zoom: number): Geometry {
  return roundGeometry(simplifyGeometry(g, toleranceForZoom(zoom)), 10 ** decimalsForZoom(zoom));
}
