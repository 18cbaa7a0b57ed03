/**
 * Geofilters over the sample datasets, against counts computed here from the source data: haversine
 * distances, point-in-polygon (ray casting), boxes (also across the antimeridian), and polygon ∩ shape
 * for countries. Points within a few centimetres of an edge are left out of the strict expectation
 * (OpenSearch stores coordinates quantised to ~1e-7°), hence the [inner, outer] bounds.
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { countries, geonamesCities } from '../helpers/sample-data';

jest.setTimeout(120_000);
const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });

type Body = { nhits: number; records: { recordid: string; fields: Record<string, unknown> }[] };
async function search(dataset: string, qs: string): Promise<Body> {
  const res = await request(app).get(`/api/records/1.0/search?dataset=${dataset}&${qs}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Body;
}

const cities = geonamesCities().map((c) => ({ name: c.name, lon: c.loc.coordinates[0], lat: c.loc.coordinates[1] }));
const R = 6371008.7714;
function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(a));
}
type Pt = [number, number]; // [lon, lat]
function inRing(p: Pt, ring: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

describe('geofilter.distance', () => {
  it('matches the cities within the radius, gives dist and sorts by it', async () => {
    const [lat, lon, r] = [48.8566, 2.3522, 30000];
    const d = cities.map((c) => haversine(lat, lon, c.lat, c.lon));
    const inner = d.filter((x) => x < r - 0.5).length;
    const outer = d.filter((x) => x <= r + 0.5).length;
    const b = await search('geonames-cities', `geofilter.distance=${lat},+${lon},${r}&sort=-dist&rows=1000&fields=name`);
    expect(b.nhits).toBeGreaterThanOrEqual(inner);
    expect(b.nhits).toBeLessThanOrEqual(outer);
    expect(inner).toBeGreaterThan(50);
    const dists = b.records.map((x) => Number(x.fields.dist));
    expect(dists).toEqual([...dists].sort((x, y) => x - y));
    expect(Math.max(...dists)).toBeLessThanOrEqual(r + 0.5);
    const nearest = [...d].sort((x, y) => x - y)[0]!;
    expect(dists[0]).toBeCloseTo(nearest, 3);
  });

  it('with no radius, matches the points at that very location', async () => {
    const c = cities[1000]!;
    const here = cities.filter((x) => x.lat === c.lat && x.lon === c.lon).length;
    const b = await search('geonames-cities', `geofilter.distance=${c.lat},${c.lon}`);
    expect(b.nhits).toBe(here);
  });
});

describe('geofilter.polygon and geofilter.bbox on points', () => {
  it('counts the cities inside a polygon', async () => {
    const ring: Pt[] = [[2.0, 48.5], [2.0, 49.2], [2.9, 48.9]];
    const expected = cities.filter((c) => inRing([c.lon, c.lat], ring)).length;
    const b = await search('geonames-cities', `geofilter.polygon=${encodeURIComponent('(48.5,2.0),(49.2,2.0),(48.9,2.9)')}&rows=0`);
    expect(expected).toBeGreaterThan(20);
    expect(b.nhits).toBe(expected);
  });

  const box = (s: number, w: number, n: number, e: number, eps: number) => (c: { lat: number; lon: number }) =>
    c.lat >= s - eps && c.lat <= n + eps && (w <= e ? c.lon >= w - eps && c.lon <= e + eps : c.lon >= w - eps || c.lon <= e + eps);
  it.each<[string, string, [number, number, number, number]]>([
    ['a box', '48,2,49,3', [48, 2, 49, 3]],
    ['a box across the antimeridian (Leaflet longitudes past 180)', '-25,170,-10,190', [-25, 170, -10, -170]],
    ['a box wider than the world', '40,-400,41,400', [40, -180, 41, 180]],
  ])('counts the cities in %s', async (_what, bbox, [s, w, n, e]) => {
    // Cities lying exactly on an edge may fall either side once quantised (3 sit on latitude 40).
    const inner = cities.filter(box(s, w, n, e, -1e-6)).length;
    const outer = cities.filter(box(s, w, n, e, 1e-6)).length;
    expect(inner).toBeGreaterThan(5);
    const b = await search('geonames-cities', `geofilter.bbox=${bbox}&rows=0`);
    expect(b.nhits).toBeGreaterThanOrEqual(inner);
    expect(b.nhits).toBeLessThanOrEqual(outer);
  });
});

describe('geofilter.polygon on shapes', () => {
  it('returns the countries whose shape intersects the polygon', async () => {
    const square: Pt[] = [[7.4, 47.4], [7.8, 47.4], [7.8, 47.7], [7.4, 47.7]];
    const rings = (g: { type: string; coordinates: unknown }): Pt[][] =>
      g.type === 'Polygon' ? [(g.coordinates as Pt[][])[0]!] : (g.coordinates as Pt[][][]).map((p) => p[0]!);
    const cross = (a: Pt, b: Pt, c: Pt, d: Pt): boolean => {
      const o = (p: Pt, q: Pt, r: Pt) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
      return o(a, b, c) !== o(a, b, d) && o(c, d, a) !== o(c, d, b);
    };
    const edges = (r: Pt[]): [Pt, Pt][] => r.map((p, i) => [p, r[(i + 1) % r.length]!]);
    const intersects = (ring: Pt[]) =>
      square.some((p) => inRing(p, ring)) || ring.some((p) => inRing(p, square)) || edges(square).some(([a, b]) => edges(ring).some(([c, d]) => cross(a, b, c, d)));
    const expected = countries()
      .filter((c) => rings(c.geometry).some(intersects))
      .map((c) => c.properties.name)
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const b = await search('countries', `geofilter.polygon=${encodeURIComponent('(47.4,7.4),(47.4,7.8),(47.7,7.8),(47.7,7.4)')}&fields=name&rows=100`);
    expect(b.records.map((r) => r.fields.name).sort()).toEqual(expected);
  });
});
