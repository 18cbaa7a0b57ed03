/**
 * Clusters → the v1 geocluster response (docs/v1-api.md, Geocluster and boundingbox; key order as in the reference):
 *   { "clusters": [ { "cluster_center": [lat, lon], "count": n, "series": {...}, "cluster": <GeoJSON> } ],
 *     "count": {"max": .., "min": ..}, "series": {"<serie>": {"max": .., "min": ..}}, "clusterprecision": z }
 * - `series` (per cluster and at the top) only when y series are asked;
 * - `cluster` only when envelopes are computed (polygon mode with return_polygons): a Point for one
 *   distinct location, else the hull (hull.ts);
 * - with no cluster at all, count min and max are 0 and series min and max null.
 */
import { type SerieSpec, serieValue, type SerieValue } from '../analyze/series';
import type { GeoclusterRequest } from './geocluster-request';
import { envelope } from './hull';
import { type Cluster, clusterCenter } from './merge';

export interface GeoclusterCluster {
  cluster_center: [number, number];
  count: number;
  series?: Record<string, SerieValue>;
  cluster?: unknown;
}

export interface GeoclusterResponse {
  clusters: GeoclusterCluster[];
  count: { max: number; min: number };
  series?: Record<string, { max: number | null; min: number | null }>;
  clusterprecision: number;
}

const finite = (v: SerieValue): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Min and max without spreading (there may be 10^5 clusters). */
export function range(values: readonly number[]): { max: number; min: number } | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { max, min };
}

/** The top-level `series`: min and max of each serie over the clusters (null when none has a value). */
export function seriesRanges(
  specs: readonly SerieSpec[],
  clusters: readonly { series?: Record<string, SerieValue> }[],
): Record<string, { max: number | null; min: number | null }> {
  return Object.fromEntries(
    specs.map((s) => {
      const values = clusters.map((c) => finite(c.series?.[s.name] ?? null)).filter((v): v is number => v !== undefined);
      return [s.name, range(values) ?? { max: null, min: null }];
    }),
  );
}

export function geoclusterResponse(req: GeoclusterRequest, clusters: readonly Cluster[]): GeoclusterResponse {
  const out: GeoclusterCluster[] = clusters.map((c) => {
    const center = clusterCenter(c);
    const item: GeoclusterCluster = { cluster_center: center, count: c.count };
    if (req.series.length > 0) item.series = Object.fromEntries(req.series.map((s, i) => [s.name, serieValue(s, c.count, c.stats[i])]));
    if (req.polygons) {
      const g = envelope(c.points);
      item.cluster = g ?? { type: 'Point', coordinates: [center[1], center[0]] };
    }
    return item;
  });
  const response: GeoclusterResponse = {
    clusters: out,
    count: range(out.map((c) => c.count)) ?? { max: 0, min: 0 },
    clusterprecision: req.zoom,
  };
  if (req.series.length > 0) response.series = seriesRanges(req.series, out);
  // Key order of the reference: clusters, count, series, clusterprecision.
  const { clusters: cs, count, series, clusterprecision } = response;
  return series ? { clusters: cs, count, series, clusterprecision } : { clusters: cs, count, clusterprecision };
}
