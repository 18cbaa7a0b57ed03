// Geometry helpers of the map, pure (no DOM, no Leaflet): unit-tested in test/unit/web.

/**
 * Rings that cross the antimeridian jump from +180 to -180 between two points: Leaflet would draw a
 * line across the whole map. For drawing, each ring is made continuous (a longitude past 180 is drawn
 * east of the antimeridian, as Chukotka). The data itself is not changed.
 */
export function unwrapGeometry(g) {
  if (!g) return g;
  const unwrapRing = (coords) => {
    const out = [];
    let previous;
    for (const p of coords) {
      let lon = p[0];
      if (previous !== undefined) {
        while (lon - previous > 180) lon -= 360;
        while (previous - lon > 180) lon += 360;
      }
      out.push([lon, p[1]]);
      previous = lon;
    }
    // Then the ring goes back to the world copy where most of it lies (a ring that starts just west
    // of the antimeridian must not take the rest of the continent 360° away with it).
    const mean = out.reduce((sum, p) => sum + p[0], 0) / Math.max(1, out.length);
    const shift = mean > 180 ? -360 : mean < -180 ? 360 : 0;
    return shift === 0 ? out : out.map((p) => [p[0] + shift, p[1]]);
  };
  switch (g.type) {
    case 'Polygon':
    case 'MultiLineString':
      return { ...g, coordinates: g.coordinates.map(unwrapRing) };
    case 'LineString':
      return { ...g, coordinates: unwrapRing(g.coordinates) };
    case 'MultiPolygon':
      return { ...g, coordinates: g.coordinates.map((poly) => poly.map(unwrapRing)) };
    case 'GeometryCollection':
      return { ...g, geometries: g.geometries.map(unwrapGeometry) };
    default:
      return g;
  }
}
