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

/**
 * More vertices than this is a 400: per `#polygon`, and for all the `geofilter.polygon` values of
 * a request together (the parse and checks are linear, then n log n, in the points).
 */
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
  // Every point opens a parenthesis: too many points is refused before the (slower) parse.
  let opened = 0;
  for (let i = text.indexOf('('); i >= 0; i = text.indexOf('(', i + 1)) opened++;
  if (opened > maxPoints) return { ok: false, problem: `the polygon has ${opened} points; at most ${maxPoints} are allowed`, offset: 0 };
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

/**
 * A pair of non-adjacent edges that touch or cross (edge i goes from vertex i to vertex i + 1), or
 * undefined. A sweep over the vertices from west to east (Shamos and Hoey): the edges the sweep line
 * crosses are kept ordered south to north, and only neighbours in that order are tested, so the
 * first crossing is found in O(n log n) comparisons (plus array moves), where testing every pair was
 * O(n²): a 1000-point polygon costs well under a millisecond whatever its shape.
 */
export function findCrossingEdges(points: readonly LatLon[]): [number, number] | undefined {
  const n = points.length;
  if (n < 4) return undefined;
  // Each edge from its lower-left end (smaller lon, then smaller lat) to the other.
  const left: LatLon[] = [];
  const right: LatLon[] = [];
  const events: { p: LatLon; edge: number; insert: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % n]!;
    const aFirst = a.lon < b.lon || (a.lon === b.lon && a.lat <= b.lat);
    left.push(aFirst ? a : b);
    right.push(aFirst ? b : a);
    events.push({ p: left[i]!, edge: i, insert: true }, { p: right[i]!, edge: i, insert: false });
  }
  // West to east, south to north; at one point, edges start before others end (touching edges meet).
  events.sort((e, f) => e.p.lon - f.p.lon || e.p.lat - f.p.lat || Number(f.insert) - Number(e.insert));

  const adjacent = (i: number, j: number) => Math.abs(i - j) === 1 || Math.abs(i - j) === n - 1;
  const meet = (i: number, j: number): boolean =>
    i !== j && !adjacent(i, j) && segmentsIntersect(left[i]!, right[i]!, left[j]!, right[j]!);
  /** Latitude of edge e where the sweep is at (lon, lat): a vertical edge answers the nearest of its points. */
  const latAt = (e: number, lon: number, lat: number): number => {
    const l = left[e]!;
    const r = right[e]!;
    if (l.lon === r.lon) return Math.min(Math.max(lat, l.lat), r.lat);
    if (lon === l.lon) return l.lat;
    if (lon === r.lon) return r.lat;
    return l.lat + ((r.lat - l.lat) * (lon - l.lon)) / (r.lon - l.lon);
  };
  const slope = (e: number): number => {
    const l = left[e]!;
    const r = right[e]!;
    return l.lon === r.lon ? Infinity : (r.lat - l.lat) / (r.lon - l.lon);
  };
  /** Negative when edge e lies south of edge f at the sweep point (ties: the smaller slope first). */
  const compare = (e: number, f: number, at: LatLon): number =>
    latAt(e, at.lon, at.lat) - latAt(f, at.lon, at.lat) || slope(e) - slope(f) || e - f;

  const status: number[] = [];
  for (const ev of events) {
    if (ev.insert) {
      let lo = 0;
      let hi = status.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(status[mid]!, ev.edge, ev.p) < 0) lo = mid + 1;
        else hi = mid;
      }
      status.splice(lo, 0, ev.edge);
      for (let d = 1; d <= REACH; d++) {
        const below = status[lo - d];
        const above = status[lo + d];
        if (below !== undefined && meet(below, ev.edge)) return ordered(below, ev.edge);
        if (above !== undefined && meet(above, ev.edge)) return ordered(above, ev.edge);
      }
    } else {
      const k = status.indexOf(ev.edge);
      status.splice(k, 1);
      for (let b = 1; b <= REACH; b++) {
        const below = status[k - b];
        if (below === undefined) break;
        for (let a = 0; a < REACH; a++) {
          const above = status[k + a];
          if (above === undefined) break;
          if (meet(below, above)) return ordered(below, above);
        }
      }
    }
  }
  return undefined;
}

/**
 * How far from an inserted or removed edge the sweep looks. Shamos and Hoey test direct neighbours
 * only; here edges that share a vertex (adjacent edges, which may meet) are never a crossing, so
 * they may stand between two edges that do touch at that vertex or overlap along a line. An edge
 * has two adjacent edges and so has each of its neighbours: a reach of 4 on each side covers them.
 */
const REACH = 4;

const ordered = (i: number, j: number): [number, number] => (i < j ? [i, j] : [j, i]);

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
