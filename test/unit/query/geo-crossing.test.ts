/**
 * The crossing-edges check of polygons (src/query/geo.ts findCrossingEdges) is a sweep; it must
 * agree with the plain O(n²) test of every pair of non-adjacent edges (written again here, as the
 * reference) on every polygon, degenerate ones above all: vertical edges, collinear and overlapping
 * edges, vertices touching other edges, repeated vertices — small integer grids make them common.
 */
import fc from 'fast-check';
import { findCrossingEdges, type LatLon } from '../../../src/query/geo';

function orientation(p: LatLon, q: LatLon, r: LatLon): number {
  const v = (q.lon - p.lon) * (r.lat - p.lat) - (q.lat - p.lat) * (r.lon - p.lon);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}
const within = (p: LatLon, q: LatLon, r: LatLon) =>
  Math.min(p.lon, r.lon) <= q.lon && q.lon <= Math.max(p.lon, r.lon) && Math.min(p.lat, r.lat) <= q.lat && q.lat <= Math.max(p.lat, r.lat);
function touch(p1: LatLon, p2: LatLon, q1: LatLon, q2: LatLon): boolean {
  const [o1, o2, o3, o4] = [orientation(p1, p2, q1), orientation(p1, p2, q2), orientation(q1, q2, p1), orientation(q1, q2, p2)];
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && within(p1, q1, p2)) || (o2 === 0 && within(p1, q2, p2)) || (o3 === 0 && within(q1, p1, q2)) || (o4 === 0 && within(q1, p2, q2));
}
/** Every pair of non-adjacent edges, tested: the reference. */
function quadratic(points: readonly LatLon[]): boolean {
  const n = points.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (touch(points[i]!, points[(i + 1) % n]!, points[j]!, points[(j + 1) % n]!)) return true;
    }
  }
  return false;
}

/** A ring without consecutive duplicates (parsePolygon removes those, and the closing repeat). */
function ring(coords: [number, number][]): LatLon[] {
  const out: LatLon[] = [];
  for (const [lon, lat] of coords) {
    const last = out[out.length - 1];
    if (!last || last.lon !== lon || last.lat !== lat) out.push({ lon, lat });
  }
  while (out.length > 1 && out[0]!.lon === out[out.length - 1]!.lon && out[0]!.lat === out[out.length - 1]!.lat) out.pop();
  return out;
}

function agrees(points: LatLon[]): void {
  const found = findCrossingEdges(points);
  expect(found !== undefined).toBe(quadratic(points));
  if (found) {
    const [i, j] = found;
    const n = points.length;
    expect(Math.abs(i - j) !== 1 && Math.abs(i - j) !== n - 1).toBe(true);
    expect(touch(points[i]!, points[(i + 1) % n]!, points[j]!, points[(j + 1) % n]!)).toBe(true);
  }
}

describe('findCrossingEdges agrees with testing every pair', () => {
  it('on small integer grids (degenerate cases everywhere)', () => {
    const coord = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }));
    fc.assert(fc.property(fc.array(coord, { minLength: 4, maxLength: 14 }), (c) => agrees(ring(c))), { numRuns: 20000 });
  });

  it('on coordinates as clients write them (binary fractions, micro-degrees)', () => {
    // Degrees with a few decimals: the values every v1 client sends. (Subnormal doubles make the
    // rounding of both algorithms disagree on near-degenerate shapes; no client sends 1e-320.)
    const eighths = fc.integer({ min: -80, max: 80 }).map((k) => k / 8);
    const micro = fc.integer({ min: -2_000_000, max: 2_000_000 }).map((k) => k / 1e6);
    for (const c of [eighths, micro]) {
      fc.assert(fc.property(fc.array(fc.tuple(c, c), { minLength: 4, maxLength: 40 }), (coords) => agrees(ring(coords))), { numRuns: 3000 });
    }
  });

  it('on star-shaped simple polygons (no crossing), then with two vertices swapped', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 5, noNaN: true }), { minLength: 5, maxLength: 60 }), fc.nat(), (radii, k) => {
        const pts = radii.map((r, i) => ({ lon: r * Math.cos((2 * Math.PI * i) / radii.length), lat: r * Math.sin((2 * Math.PI * i) / radii.length) }));
        expect(findCrossingEdges(pts)).toBeUndefined();
        const i = k % pts.length;
        const j = (i + 2) % pts.length;
        [pts[i], pts[j]] = [pts[j]!, pts[i]!];
        agrees(pts);
      }),
      { numRuns: 2000 },
    );
  });

  it('on combs whose every edge spans the polygon (where a grid would test every pair)', () => {
    const teeth = 400;
    const comb: LatLon[] = [{ lon: 0, lat: 0 }];
    for (let t = 0; t < teeth; t++) comb.push({ lon: 100, lat: t + 0.25 }, { lon: 1, lat: t + 0.5 }, { lon: 1, lat: t + 0.75 });
    comb.push({ lon: 0, lat: teeth });
    agrees(comb);
    expect(findCrossingEdges(comb)).toBeUndefined();
  });
});
