/**
 * Coordinates as v1 writes them ("lat, lon", "(lat,lon),(lat,lon),...") → checked values, and
 * polygon rings as OpenSearch wants them (GeoJSON: [lon, lat], closed, counter-clockwise).
 *
 * Shared by `#distance`/`#polygon` in q and by the `geofilter.distance`/`geofilter.polygon`
 * parameters (src/search). Results are values, not exceptions, so each caller words its own error:
 *
 *   const r = parsePolygon(params['geofilter.polygon']);
 *   if (!r.ok) throw badParameter('geofilter.polygon', r.problem);
 *   const ring = closeAndOrientRing(r.value);
 */
import { parseFragment } from './parse';

export interface LatLon {
  lat: number;
  lon: number;
}

/** `offset`: where in the text the problem is (0 when it is about the whole value). */
export type GeoResult<T> = { ok: true; value: T } | { ok: false; problem: string; offset: number };

/** More vertices than this is a 400 (the self-intersection check is quadratic). */
export const DEFAULT_MAX_POLYGON_POINTS = 1000;

function checkRange(p: LatLon): string | undefined {
  if (!Number.isFinite(p.lat) || p.lat < -90 || p.lat > 90) return `latitude ${p.lat} is out of range (-90 to 90)`;
  if (!Number.isFinite(p.lon) || p.lon < -180 || p.lon > 180) return `longitude ${p.lon} is out of range (-180 to 180)`;
  return undefined;
}

/** "48.85, 2.35" (spaces and a leading + allowed) → {lat, lon}. */
export function parseLatLon(text: string): GeoResult<LatLon> {
  const r = parseFragment('LatLon', text);
  if (!r.ok) return { ok: false, problem: `expected "latitude, longitude" in decimal degrees, e.g. "48.85, 2.35"`, offset: r.offset };
  const bad = checkRange(r.value);
  return bad === undefined ? { ok: true, value: { lat: r.value.lat, lon: r.value.lon } } : { ok: false, problem: bad, offset: 0 };
}

/** "lat, lon[, meters]" (the geofilter.distance form; some clients leave the radius out). */
export function parseLatLonDistance(text: string): GeoResult<LatLon & { meters: number | null }> {
  const r = parseFragment('LatLonDistance', text);
  if (!r.ok) return { ok: false, problem: `expected "latitude, longitude, meters", e.g. "48.85, 2.35, 1000"`, offset: r.offset };
  const bad = checkRange(r.value);
  if (bad !== undefined) return { ok: false, problem: bad, offset: 0 };
  const { lat, lon, meters } = r.value;
  if (meters !== null && (!Number.isFinite(meters) || meters < 0)) {
    return { ok: false, problem: `the distance ${meters} must be a positive number of meters`, offset: 0 };
  }
  return { ok: true, value: { lat, lon, meters } };
}

/**
 * "(lat,lon),(lat,lon),..." → the distinct vertices, in order, without a closing repeat. At least 3
 * distinct points, a non-zero area and no crossing edges (OpenSearch would reject those later).
 */
export function parsePolygon(text: string, maxPoints = DEFAULT_MAX_POLYGON_POINTS): GeoResult<LatLon[]> {
  const r = parseFragment('PolygonPoints', text);
  if (!r.ok) return { ok: false, problem: `expected a polygon as "(lat,lon),(lat,lon),(lat,lon),..."`, offset: r.offset };
  if (r.value.length > maxPoints) {
    return { ok: false, problem: `the polygon has ${r.value.length} points; at most ${maxPoints} are allowed`, offset: 0 };
  }
  const points: LatLon[] = [];
  for (const p of r.value) {
    const bad = checkRange(p);
    if (bad !== undefined) return { ok: false, problem: bad, offset: p.location.start.offset };
    const last = points[points.length - 1];
    if (last === undefined || last.lat !== p.lat || last.lon !== p.lon) points.push({ lat: p.lat, lon: p.lon });
  }
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length > 1 && first !== undefined && last !== undefined && first.lat === last.lat && first.lon === last.lon) points.pop();
  if (new Set(points.map((p) => `${p.lat},${p.lon}`)).size < 3) {
    return { ok: false, problem: 'a polygon needs at least 3 distinct points', offset: 0 };
  }
  if (signedArea(points) === 0) return { ok: false, problem: 'the polygon has no area (its points are aligned)', offset: 0 };
  const crossing = findCrossingEdges(points);
  if (crossing !== undefined) {
    return { ok: false, problem: `the polygon's edges ${crossing[0] + 1} and ${crossing[1] + 1} cross each other`, offset: 0 };
  }
  return { ok: true, value: points };
}

/**
 * A GeoJSON linear ring: [lon, lat] pairs, closed (last = first), counter-clockwise (the right-hand
 * rule OpenSearch assumes, so a small polygon is never read as its dateline-crossing complement).
 */
export function closeAndOrientRing(points: readonly LatLon[]): [number, number][] {
  const open = points.length > 1 && samePoint(points[0]!, points[points.length - 1]!) ? points.slice(0, -1) : [...points];
  if (signedArea(open) < 0) open.reverse();
  const ring = open.map((p): [number, number] => [p.lon, p.lat]);
  if (ring.length > 0) ring.push([ring[0]![0], ring[0]![1]]);
  return ring;
}

function samePoint(a: LatLon, b: LatLon): boolean {
  return a.lat === b.lat && a.lon === b.lon;
}

/** Shoelace formula on (lon, lat): positive when counter-clockwise. */
function signedArea(points: readonly LatLon[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    sum += a.lon * b.lat - b.lon * a.lat;
  }
  return sum / 2;
}

/** The first pair of non-adjacent edges that touch or cross, by index; O(n²) on ≤ maxPoints. */
function findCrossingEdges(points: readonly LatLon[]): [number, number] | undefined {
  const n = points.length;
  for (let i = 0; i < n; i++) {
    const a1 = points[i]!;
    const a2 = points[(i + 1) % n]!;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge shares vertex 0 with edge 0
      if (segmentsIntersect(a1, a2, points[j]!, points[(j + 1) % n]!)) return [i, j];
    }
  }
  return undefined;
}

function orientation(p: LatLon, q: LatLon, r: LatLon): number {
  const v = (q.lon - p.lon) * (r.lat - p.lat) - (q.lat - p.lat) * (r.lon - p.lon);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(p: LatLon, q: LatLon, r: LatLon): boolean {
  return Math.min(p.lon, r.lon) <= q.lon && q.lon <= Math.max(p.lon, r.lon) && Math.min(p.lat, r.lat) <= q.lat && q.lat <= Math.max(p.lat, r.lat);
}

function segmentsIntersect(p1: LatLon, p2: LatLon, q1: LatLon, q2: LatLon): boolean {
  const o1 = orientation(p1, p2, q1);
  const o2 = orientation(p1, p2, q2);
  const o3 = orientation(q1, q2, p1);
  const o4 = orientation(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(p1, q1, p2)) ||
    (o2 === 0 && onSegment(p1, q2, p2)) ||
    (o3 === 0 && onSegment(q1, p1, q2)) ||
    (o4 === 0 && onSegment(q1, p2, q2))
  );
}
