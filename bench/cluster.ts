/** Case 3's other baseline: what a user without geocluster does — download every point, cluster it in Node. */
import type { Feature, Point } from 'geojson';
import { pitLoop } from './download';

/** "lat,lon" | [lon, lat] | {lat, lon} → [lon, lat]. */
function lonLat(v: unknown): [number, number] | undefined {
  if (typeof v === 'string') {
    const [a, b] = v.split(',').map(Number);
    return [b!, a!];
  }
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1])];
  if (v && typeof v === 'object' && 'lat' in v && 'lon' in v) return [Number((v as { lon: unknown }).lon), Number((v as { lat: unknown }).lat)];
  return undefined;
}

/** ms per zoom: the download (PIT loop, geo field only) + Supercluster.load + getClusters over the world. */
export async function supercluster(os: string, index: string, zooms: number[], log: (s: string) => void): Promise<Record<number, number>> {
  const { default: Supercluster } = (await import('supercluster')) as typeof import('supercluster');
  const points: Feature<Point, Record<string, unknown>>[] = [];
  const dl = await pitLoop(os, index, 10_000, ['fields.geo_point_2d'], (src: { fields?: { geo_point_2d?: unknown } }) => {
    const c = lonLat(src.fields?.geo_point_2d);
    if (c) points.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } });
  });
  const t0 = process.hrtime.bigint();
  // radius 50 px on 256-px tiles: the geocluster defaults (clusterdistance 50).
  const sc = new Supercluster({ radius: 50, extent: 256, maxZoom: Math.max(...zooms) });
  sc.load(points);
  const indexMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const out: Record<number, number> = {};
  for (const z of zooms) {
    const t = process.hrtime.bigint();
    const clusters = sc.getClusters([-180, -85, 180, 85], z);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    out[z] = dl.seconds * 1000 + indexMs + ms;
    log(`supercluster z${z}: download ${dl.seconds.toFixed(1)} s (${dl.records} points), index ${indexMs.toFixed(0)} ms, getClusters ${ms.toFixed(1)} ms → ${clusters.length} clusters`);
  }
  return out;
}
