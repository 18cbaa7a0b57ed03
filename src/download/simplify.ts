/**
 * `geo_simplify=true&geo_simplify_zoom=<z>` (ods-map, Enedis and Paris apps send it with the raw
 * download): shapes are simplified with Douglas–Peucker at a tolerance of one pixel at zoom z
 * (256-px tiles: 360 / (256·2^z) degrees), what the ODS geoshape plugin offered (github.com/opendatasoft/elasticsearch-plugin-geoshape).
 *
 * - planar in lon/lat degrees, like the plugin's JTS DouglasPeuckerSimplifier;
 * - lines keep their end points; a ring keeps its closing point and at least 4 positions: a ring that
 *   would collapse is kept as it is, so no polygon disappears or turns invalid;
 * - Points and MultiPoints are unchanged; GeometryCollections are simplified member by member;
 * - iterative (an explicit stack), so a ring of 10^6 vertices cannot exhaust the call stack.
 */
export type Position = number[];

export interface Geometry {
  type: string;
  coordinates?: unknown;
  geometries?: Geometry[];
}

export const DEFAULT_SIMPLIFY_ZOOM = 10;

export function toleranceForZoom(zoom: number): number {
  return 360 / (256 * 2 ** zoom);
}

/** Squared distance from p to the segment a–b. */
function segmentDistance2(p: Position, a: Position, b: Position): number {
  const ax = a[0]!;
  const ay = a[1]!;
  let dx = b[0]! - ax;
  let dy = b[1]! - ay;
  const len2 = dx * dx + dy * dy;
  if (len2 > 0) {
    const t = Math.max(0, Math.min(1, ((p[0]! - ax) * dx + (p[1]! - ay) * dy) / len2));
    dx = ax + t * dx - p[0]!;
    dy = ay + t * dy - p[1]!;
    return dx * dx + dy * dy;
  }
  dx = p[0]! - ax;
  dy = p[1]! - ay;
  return dx * dx + dy * dy;
}

/** Douglas–Peucker on a line: the positions kept, end points always. */
export function simplifyLine(points: readonly Position[], tolerance: number): Position[] {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const t2 = tolerance * tolerance;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let maxD = -1;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(points[i]!, points[first]!, points[last]!);
      if (d > maxD) {
        maxD = d;
        index = i;
      }
    }
    if (index >= 0 && maxD > t2) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

export function simplifyRing(ring: readonly Position[], tolerance: number): Position[] {
  const out = simplifyLine(ring, tolerance);
  return out.length >= 4 ? out : [...ring];
}

export function simplifyGeometry(g: Geometry, tolerance: number): Geometry {
  const c = g.coordinates;
  switch (g.type) {
    case 'LineString':
      return { ...g, coordinates: simplifyLine(c as Position[], tolerance) };
    case 'MultiLineString':
      return { ...g, coordinates: (c as Position[][]).map((l) => simplifyLine(l, tolerance)) };
    case 'Polygon':
      return { ...g, coordinates: (c as Position[][]).map((r) => simplifyRing(r, tolerance)) };
    case 'MultiPolygon':
      return { ...g, coordinates: (c as Position[][][]).map((p) => p.map((r) => simplifyRing(r, tolerance))) };
    case 'GeometryCollection':
      return { ...g, geometries: (g.geometries ?? []).map((m) => simplifyGeometry(m, tolerance)) };
    default:
      return g;
  }
}
