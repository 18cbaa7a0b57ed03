/**
 * The cluster envelope, as the ODS envelope aggregation emits it (JTS ConvexHull;
 * docs/opensearch-design.md, Geocluster): a Point for one distinct point, a LineString for two (or
 * for points on one line), otherwise a Polygon whose ring is clockwise, starts at the lowest-latitude
 * vertex (then the lowest longitude), has no collinear vertex and is closed. Coordinates are
 * [lon, lat] (GeoJSON).
 *
 * Monotone chain (Andrew): O(n log n), exact on the input doubles.
 */
export type LonLat = [number, number];

export type EnvelopeGeometry =
  | { type: 'Point'; coordinates: LonLat }
  | { type: 'LineString'; coordinates: LonLat[] }
  | { type: 'Polygon'; coordinates: LonLat[][] };

const cross = (o: LonLat, a: LonLat, b: LonLat): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Lowest latitude first, then lowest longitude: the JTS start vertex. */
const byLatThenLon = (a: LonLat, b: LonLat): number => a[1] - b[1] || a[0] - b[0];

/**
 * The distinct points, sorted by longitude then latitude: equal points are then neighbours (a Set of
 * "lon,lat" strings cost more than the hull itself: numbers → strings for every point).
 */
function sortedDistinct(points: readonly LonLat[]): LonLat[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: LonLat[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** The convex hull of distinct points sorted by longitude then latitude (see convexHull). */
function hullOfSorted(pts: readonly LonLat[]): LonLat[] {
  if (pts.length < 3) return [...pts];
  const lower: LonLat[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: LonLat[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return [...lower, ...upper];
}

/** The convex hull, counter-clockwise, without collinear vertices (not closed). */
export function convexHull(points: readonly LonLat[]): LonLat[] {
  return hullOfSorted(sortedDistinct(points));
}

export function envelope(points: readonly LonLat[]): EnvelopeGeometry | undefined {
  const unique = sortedDistinct(points);
  if (unique.length === 0) return undefined;
  if (unique.length === 1) return { type: 'Point', coordinates: unique[0]! };
  const hull = hullOfSorted(unique);
  if (hull.length < 3) {
    // Two points, or all on one line: the segment between the extremes, from the lowest one.
    const ends = hull.length === 2 ? [...hull] : [unique[0]!, unique[1]!];
    return { type: 'LineString', coordinates: ends.sort(byLatThenLon) };
  }
  const clockwise = [...hull].reverse();
  let start = 0;
  clockwise.forEach((p, i) => {
    if (byLatThenLon(p, clockwise[start]!) < 0) start = i;
  });
  const ring = [...clockwise.slice(start), ...clockwise.slice(0, start)];
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}
