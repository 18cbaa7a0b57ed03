/**
 * Geocluster and boundingbox on the real node, against the source data:
 * - the v1 doc's reference cluster (Kamchatka, clusterprecision=3, clusterdistance=50) reproduced;
 * - counts summing to the points in the box, and every cluster equal to an independent brute-force
 *   clustering of the source points (geotile cells from the formula, means of raw coordinates,
 *   the same seeding rule, O(n²) radius test): each cluster_center is the mean of its points;
 * - heatmap mode, the geo_shape dataset (countries, clustered on the centroid point);
 * - boundingbox equal to the min/max of the source coordinates.
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { countries, geonamesCities } from '../helpers/sample-data';
import { V1_DOC_KAMCHATKA_CLUSTER } from '../fixtures/v1-doc-geocluster';

jest.setTimeout(120_000);
const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });

interface Cluster {
  cluster_center: [number, number];
  count: number;
  series?: Record<string, number>;
  cluster?: { type: string; coordinates: unknown };
}
interface Body {
  clusters: Cluster[];
  count: { max: number; min: number };
  series?: Record<string, { max: number; min: number } | undefined>;
  clusterprecision: number;
}
async function get<T>(path: string): Promise<T> {
  const res = await request(app).get(path);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

const cities = geonamesCities().map((c) => ({ lon: c.loc.coordinates[0], lat: c.loc.coordinates[1], population: c.population }));

/** Clustering written here from the design (not from src/geocluster): brute force over cells. */
function expectedClusters(points: { lon: number; lat: number }[], zoom: number, radius: number) {
  const p = Math.min(29, zoom + Math.ceil(Math.log2(256 / radius)));
  const n = 2 ** p;
  const cells = new Map<string, { key: string; count: number; sumLat: number; sumLon: number }>();
  for (const pt of points) {
    const x = Math.min(n - 1, Math.max(0, Math.floor(((pt.lon + 180) / 360) * n)));
    const r = (pt.lat * Math.PI) / 180;
    const y = Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)));
    const key = `${p}/${x}/${y}`;
    const c = cells.get(key) ?? { key, count: 0, sumLat: 0, sumLon: 0 };
    c.count += 1;
    c.sumLat += pt.lat;
    c.sumLon += pt.lon;
    cells.set(key, c);
  }
  const list = [...cells.values()].map((c) => ({ ...c, lat: c.sumLat / c.count, lon: c.sumLon / c.count }));
  list.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  const world = 256 * 2 ** zoom;
  const px = (lon: number, lat: number): [number, number] => {
    const s = Math.sin((lat * Math.PI) / 180);
    const y = Math.min(1, Math.max(0, 0.5 - (0.25 * Math.log((1 + s) / (1 - s))) / Math.PI));
    return [(lon / 360 + 0.5) * world, y * world];
  };
  const xy = list.map((c) => px(c.lon, c.lat));
  const taken = new Uint8Array(list.length);
  const out: { count: number; center: [number, number] }[] = [];
  list.forEach((seed, i) => {
    if (taken[i]) return;
    const [sx, sy] = xy[i]!;
    let count = 0;
    let sumLat = 0;
    let sumLon = 0;
    for (let j = 0; j < list.length; j++) {
      if (taken[j]) continue;
      const [cx, cy] = xy[j]!;
      if ((cx - sx) ** 2 + (cy - sy) ** 2 <= radius ** 2) {
        taken[j] = 1;
        count += list[j]!.count;
        sumLat += list[j]!.sumLat;
        sumLon += list[j]!.sumLon;
      }
    }
    void seed;
    out.push({ count, center: [sumLat / count, sumLon / count] });
  });
  return out;
}

/** [minLon, minLat, maxLon, maxLat] of [lon, lat] pairs (no spread: 10^5 values). */
function bounds(points: number[][]): number[] {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    b[0] = Math.min(b[0]!, lon!);
    b[1] = Math.min(b[1]!, lat!);
    b[2] = Math.max(b[2]!, lon!);
    b[3] = Math.max(b[3]!, lat!);
  }
  return b;
}

const byCountThenCenter = (a: { count: number; center: number[] }, b: { count: number; center: number[] }) =>
  b.count - a.count || a.center[0]! - b.center[0]! || a.center[1]! - b.center[1]!;

describe('geocluster on geonames-cities (points)', () => {
  it('reproduces the v1 doc reference cluster (Kamchatka) to the last digit', async () => {
    const body = await get<Body>(
      '/api/records/1.0/geocluster/?dataset=geonames-cities&q=population>5000&shapeprecision=1&clusterprecision=3&clusterdistance=50&y.avg_population.func=AVG&y.avg_population.expr=population',
    );
    expect(Object.keys(body)).toEqual(['clusters', 'count', 'series', 'clusterprecision']);
    expect(body.clusterprecision).toBe(3);
    const k = body.clusters.find((c) => c.cluster_center[0] === 54.03621598239988);
    expect(k).toEqual(V1_DOC_KAMCHATKA_CLUSTER);
    // and from the source: the five cities of more than 5000 inhabitants there
    const five = cities.filter((c) => c.population > 5000 && c.lat > 52.5 && c.lat < 56.5 && c.lon > 158 && c.lon < 161);
    expect(five).toHaveLength(5);
    expect(five.reduce((s, c) => s + c.population, 0) / 5).toBeCloseTo(54285.8, 6);
    const total = body.clusters.reduce((s, c) => s + c.count, 0);
    expect(total).toBe(cities.filter((c) => c.population > 5000).length);
    expect(body.count.max).toBe(Math.max(...body.clusters.map((c) => c.count)));
    expect(body.series!.avg_population!.min).toBe(Math.min(...body.clusters.map((c) => c.series!.avg_population!)));
  });

  it.each([
    [6, 50],
    [9, 15],
  ])('zoom %p, radius %p px, over France: the clusters of an independent clustering of the source', async (zoom, radius) => {
    // edges chosen with no city within 1e-5° (stored coordinates are quantised to ~1e-7°)
    const [s, w, n, e] = [41.30123, -5.20123, 51.10123, 9.60123];
    const body = await get<Body>(
      `/api/records/1.0/geocluster/?dataset=geonames-cities&clusterprecision=${zoom}&clusterdistance=${radius}&geofilter.bbox=${s},${w},${n},${e}&return_polygons=true`,
    );
    const eps = 1e-5;
    const near = (a: number, b: number) => Math.abs(a - b) < eps;
    expect(cities.filter((c) => near(c.lat, s) || near(c.lat, n) || near(c.lon, w) || near(c.lon, e))).toEqual([]);
    const inside = cities.filter((c) => c.lat >= s && c.lat <= n && c.lon >= w && c.lon <= e);
    expect(body.clusters.reduce((t, c) => t + c.count, 0)).toBe(inside.length);
    const expected = expectedClusters(inside, zoom, radius).sort(byCountThenCenter);
    const got = body.clusters.map((c) => ({ count: c.count, center: c.cluster_center })).sort(byCountThenCenter);
    expect(got.map((c) => c.count)).toEqual(expected.map((c) => c.count));
    // stored coordinates are quantised to ~1e-7°: match each cluster to one of the same count within 1e-5°
    const pool = [...expected];
    const unmatched = got.filter((c) => {
      const i = pool.findIndex((x) => x.count === c.count && Math.abs(x.center[0] - c.center[0]) < 1e-5 && Math.abs(x.center[1] - c.center[1]) < 1e-5);
      if (i < 0) return true;
      pool.splice(i, 1);
      return false;
    });
    expect({ unmatched, expected: pool }).toEqual({ unmatched: [], expected: [] });
    for (const c of body.clusters) {
      if (c.count === 1) expect(c.cluster).toEqual({ type: 'Point', coordinates: [c.cluster_center[1], c.cluster_center[0]] });
      if (c.cluster?.type === 'Polygon') {
        const ring = (c.cluster.coordinates as number[][][])[0]!;
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        const area = ring.slice(0, -1).reduce((a, p, i) => a + (p[0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * p[1]!), 0);
        expect(area).toBeLessThan(0); // clockwise
        expect(Math.min(...ring.map((p) => p[1]!))).toBe(ring[0]![1]); // starts at the lowest latitude
      }
    }
  });

  it('heatmap mode: the same clusters, without envelopes', async () => {
    const qs = 'dataset=geonames-cities&clusterprecision=5&clusterdistance=15&geofilter.bbox=35,-10,60,30';
    const polygons = await get<Body>(`/api/records/1.0/geocluster/?${qs}`);
    const heat = await get<Body>(`/api/records/1.0/geocluster/?${qs}&clustermode=heatmap`);
    expect(heat.clusters.map((c) => ({ cluster_center: c.cluster_center, count: c.count }))).toEqual(
      polygons.clusters.map((c) => ({ cluster_center: c.cluster_center, count: c.count })),
    );
    expect(heat.clusters.every((c) => c.cluster === undefined)).toBe(true);
    expect(heat.count).toEqual(polygons.count);
  });
});

describe('geocluster on countries (a geo_shape dataset, clustered on its centroid point)', () => {
  it('every country once; far apart at zoom 10 with a 1 px radius: one cluster each, at its point', async () => {
    const source = countries();
    const body = await get<Body>('/api/records/1.0/geocluster/?dataset=countries&clusterprecision=10&clusterdistance=1');
    expect(body.clusters).toHaveLength(source.length);
    expect(body.clusters.every((c) => c.count === 1)).toBe(true);
    const records = await get<{ fields: { geo_point_2d: [number, number] } }[]>('/api/records/1.0/download/?dataset=countries&format=json&fields=geo_point_2d');
    const order = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]!;
    const centers = body.clusters.map((c) => c.cluster_center).sort(order);
    const points = records.map((r) => r.fields.geo_point_2d).sort(order);
    centers.forEach((c, i) => {
      expect(Math.abs(c[0] - points[i]![0])).toBeLessThan(1e-6);
      expect(Math.abs(c[1] - points[i]![1])).toBeLessThan(1e-6);
    });
    const world = await get<Body>('/api/records/1.0/geocluster/?dataset=countries&clusterprecision=1');
    expect(world.clusters.reduce((t, c) => t + c.count, 0)).toBe(source.length);
  });
});

describe('boundingbox', () => {
  it('points: count and the min/max of the source coordinates', async () => {
    const body = await get<{ count: number; bbox: number[]; geometries: Record<string, number> }>('/api/records/1.0/boundingbox/?dataset=geonames-cities');
    expect(body.count).toBe(cities.length);
    expect(body.geometries).toEqual({ Point: cities.length });
    const expected = bounds(cities.map((c) => [c.lon, c.lat]));
    body.bbox.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-6));
  });

  it('points in a geofilter.bbox', async () => {
    const body = await get<{ count: number; bbox: number[] }>('/api/datasets/1.0/geonames-cities/records/boundingbox/?geofilter.bbox=45,5,47,8');
    const inside = cities.filter((c) => c.lat >= 45 && c.lat <= 47 && c.lon >= 5 && c.lon <= 8);
    expect(body.count).toBe(inside.length);
    bounds(inside.map((c) => [c.lon, c.lat])).forEach((v, i) => expect(Math.abs(body.bbox[i]! - v)).toBeLessThan(1e-6));
  });

  it('shapes: the min/max over every vertex, and the GeoJSON types', async () => {
    const source = countries();
    const body = await get<{ count: number; bbox: number[]; geometries: Record<string, number> }>('/api/records/1.0/boundingbox/?dataset=countries');
    const coords: number[][] = [];
    const walk = (c: unknown): void => {
      if (Array.isArray(c) && typeof c[0] === 'number') coords.push(c as number[]);
      else if (Array.isArray(c)) c.forEach(walk);
    };
    source.forEach((f) => walk(f.geometry.coordinates));
    expect(body.count).toBe(source.length);
    // The sample preparation drops degenerate rings (North Korea has a ring of four identical points,
    // which leaves a one-polygon MultiPolygon, stored as a Polygon): count polygons with an area.
    const distinct = (ring: number[][]) => new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
    const types: Record<string, number> = {};
    for (const f of source) {
      const polygons = f.geometry.type === 'MultiPolygon' ? (f.geometry.coordinates as number[][][][]).filter((poly) => distinct(poly[0]!) >= 3).length : 1;
      const type = polygons > 1 ? 'MultiPolygon' : 'Polygon';
      types[type] = (types[type] ?? 0) + 1;
    }
    expect(body.geometries).toEqual(types);
    const expected = bounds(coords);
    // A ring spanning every longitude south of the equator (Antarctica) is closed through the South
    // Pole by the sample preparation, so the stored shape reaches -90.
    const rings: number[][][] = [];
    const collect = (c: unknown, depth: number): void => {
      if (depth === 0) rings.push(c as number[][]);
      else (c as unknown[]).forEach((x) => collect(x, depth - 1));
    };
    source.forEach((f) => collect(f.geometry.coordinates, f.geometry.type === 'Polygon' ? 1 : 2));
    const aroundSouthPole = rings.some((r) => bounds(r)[0] === -180 && bounds(r)[2] === 180 && bounds(r)[3]! < 0);
    if (aroundSouthPole) expected[1] = -90;
    body.bbox.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-6));
  });
});
