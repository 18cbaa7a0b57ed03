/**
 * Cells → clusters by pixel radius, Supercluster-style (docs/opensearch-design.md, Geocluster; cf.
 * mapbox/supercluster `_cluster`):
 * - cells are visited by count (descending), then key: the densest cell seeds first, and the order
 *   does not depend on how OpenSearch paged them;
 * - a seed absorbs every cell not yet taken whose centroid lies within r pixels of the SEED's
 *   centroid (one pass, no drift: the result is stable), found with a KD-tree (kdbush) over
 *   Web-Mercator coordinates, in O(n log n);
 * - a cluster's center is the count-weighted mean of its cells' centroids, which is exactly the
 *   arithmetic mean of its points' latitudes and longitudes (the geocluster example of the v1 documentation);
 *   series statistics merge exactly; envelope candidates are pooled.
 */
import type KDBushType from 'kdbush';
import { mergeStats, type SerieStats } from '../analyze/series';
import type { Cell } from './cells';
import type { LonLat } from './hull';
import { latToY, lonToX, radiusToUnits } from './mercator';

// kdbush is an ES module: loaded through require (Node ≥ 20.19 loads ES modules synchronously;
// jest transforms it, see jest.config.js transformIgnorePatterns).
const KDBush: typeof KDBushType = (require('kdbush') as { default: typeof KDBushType }).default;

export interface Cluster {
  count: number;
  /** Σ lat·count and Σ lon·count of the cells (the center is their mean). */
  sumLat: number;
  sumLon: number;
  stats: SerieStats[];
  points: LonLat[];
  /** Keys of the cells merged, seed first. */
  cells: string[];
}

export const clusterCenter = (c: Cluster): [number, number] => [c.sumLat / c.count, c.sumLon / c.count];

export function mergeCells(cells: readonly Cell[], zoom: number, radiusPx: number): Cluster[] {
  const order = [...cells].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (order.length === 0) return [];
  const tree = new KDBush(order.length, 64, Float64Array);
  for (const c of order) tree.add(lonToX(c.lon), latToY(c.lat));
  tree.finish();
  const radius = radiusToUnits(radiusPx, zoom);
  const taken = new Uint8Array(order.length);
  const clusters: Cluster[] = [];
  order.forEach((seed, i) => {
    if (taken[i]) return;
    taken[i] = 1;
    const cluster: Cluster = {
      count: seed.count,
      sumLat: seed.lat * seed.count,
      sumLon: seed.lon * seed.count,
      stats: [...seed.stats],
      points: [...seed.points],
      cells: [seed.key],
    };
    // Ascending index: cells join in the visiting order, so sums do not depend on the tree's layout.
    const near = tree.within(lonToX(seed.lon), latToY(seed.lat), radius).sort((a, b) => a - b);
    for (const j of near) {
      if (taken[j]) continue;
      taken[j] = 1;
      const n = order[j]!;
      cluster.count += n.count;
      cluster.sumLat += n.lat * n.count;
      cluster.sumLon += n.lon * n.count;
      cluster.stats = cluster.stats.map((s, k) => mergeStats(s, n.stats[k]));
      for (const p of n.points) cluster.points.push(p);
      cluster.cells.push(n.key);
    }
    clusters.push(cluster);
  });
  return clusters;
}
