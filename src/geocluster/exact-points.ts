/**
 * Exact envelopes for small clusters (docs/opensearch-design.md, Geocluster, "exact parity for small
 * clusters"): the points of the clusters of at most EXACT_POINTS_PER_CLUSTER records are read by one
 * follow-up search (a few when there are many), and their hull replaces the approximate one.
 *
 * - Only cells that need it are read: a cell of one point, or whose points share one location, is
 *   exact already (its bounds are the point).
 * - The search matches the tight boxes of those cells (from the cells' geo_bounds), returns only the
 *   point's doc values (`_source: false`), and each point goes back to its cell by its geotile key,
 *   computed as OpenSearch does (precision.ts tileKey).
 * - A cell whose points do not all come back (a point on a shared tile edge...) keeps its
 *   approximate envelope: never a wrong exact one.
 * - Bounded: at most MAX_EXACT_POINTS points and BOXES_PER_SEARCH boxes per search (well under the
 *   1024 boolean clauses and the 10 000 result window).
 */
import type { Clause } from '../search/facets/facet-kind';
import type { SearchFn } from '../analyze/collect-buckets';
import type { Cell } from './cells';
import type { LonLat } from './hull';
import type { Cluster } from './merge';
import { EXACT_POINTS_PER_CLUSTER, MAX_EXACT_POINTS, tileKey } from './precision';

export const BOXES_PER_SEARCH = 500;
/**
 * Boxes are widened by this (about 1 cm): OpenSearch refuses a geo_bounding_box of zero height or
 * width, and a point exactly on a box edge must match whatever the rounding of the edge.
 */
export const BOX_MARGIN = 1e-7;

const degenerate = (c: Cell): boolean => c.count <= 1 || (c.box !== undefined && c.box[0] === c.box[2] && c.box[1] === c.box[3]);

/** The cells whose points must be read, in cluster order, within the point budget. */
export function exactPointTargets(clusters: readonly Cluster[], cells: ReadonlyMap<string, Cell>): Cell[] {
  const out: Cell[] = [];
  let budget = MAX_EXACT_POINTS;
  for (const cl of clusters) {
    if (cl.count > EXACT_POINTS_PER_CLUSTER) continue;
    const need = cl.cells.map((k) => cells.get(k)).filter((c): c is Cell => c !== undefined && c.box !== undefined && !degenerate(c));
    const points = need.reduce((n, c) => n + c.count, 0);
    if (need.length === 0 || points > budget) continue;
    budget -= points;
    out.push(...need);
  }
  return out;
}

/** Search bodies reading the points of the target cells. */
export function exactPointsBodies(targets: readonly Cell[], query: Clause, field: string): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  for (let i = 0; i < targets.length; i += BOXES_PER_SEARCH) {
    const chunk = targets.slice(i, i + BOXES_PER_SEARCH);
    bodies.push({
      // a point on a shared tile edge may match a neighbour's box too: a little room for it
      size: chunk.reduce((n, c) => n + c.count, 0) + chunk.length,
      track_total_hits: false,
      _source: false,
      docvalue_fields: [field],
      sort: ['_doc'],
      query: {
        bool: {
          filter: [
            query,
            {
              bool: {
                should: chunk.map((c) => {
                  const [w, s, e, n] = c.box!;
                  const m = BOX_MARGIN;
                  return {
                    geo_bounding_box: {
                      [field]: { top_left: { lat: Math.min(90, n + m), lon: Math.max(-180, w - m) }, bottom_right: { lat: Math.max(-90, s - m), lon: Math.min(180, e + m) } },
                    },
                  };
                }),
                minimum_should_match: 1,
              },
            },
          ],
        },
      },
    });
  }
  return bodies;
}

/** "lat, lon" (doc values of a geo_point) → [lon, lat]. */
function parsePoint(v: unknown): LonLat | undefined {
  if (typeof v === 'string') {
    const [lat, lon] = v.split(',').map((s) => Number(s.trim()));
    if (Number.isFinite(lat) && Number.isFinite(lon)) return [lon!, lat!];
  } else if (v && typeof v === 'object') {
    const o = v as { lat?: unknown; lon?: unknown };
    if (typeof o.lat === 'number' && typeof o.lon === 'number') return [o.lon, o.lat];
  }
  return undefined;
}

/**
 * Gives each target cell its points when all of them came back. Returns the keys of the cells
 * updated.
 */
export function applyExactPoints(targets: readonly Cell[], hits: readonly Record<string, unknown>[], field: string, precision: number): Set<string> {
  const byKey = new Map(targets.map((c) => [c.key, [] as LonLat[]]));
  for (const h of hits) {
    const p = parsePoint(((h.fields as Record<string, unknown[]> | undefined)?.[field] ?? [])[0]);
    if (!p) continue;
    byKey.get(tileKey(p[0], p[1], precision))?.push(p);
  }
  const updated = new Set<string>();
  for (const c of targets) {
    const pts = byKey.get(c.key) ?? [];
    if (pts.length === c.count) {
      c.points = pts;
      updated.add(c.key);
    }
  }
  return updated;
}

/** Rebuilds the envelope candidates of the clusters holding updated cells. */
export function refreshClusterPoints(clusters: Cluster[], cells: ReadonlyMap<string, Cell>, updated: ReadonlySet<string>): void {
  for (const cl of clusters) {
    if (!cl.cells.some((k) => updated.has(k))) continue;
    cl.points = cl.cells.flatMap((k) => cells.get(k)?.points ?? []);
  }
}

/** The whole step: read the points of the small clusters and rebuild their envelopes. */
export async function exactEnvelopes(
  clusters: Cluster[],
  cells: readonly Cell[],
  query: Clause,
  field: string,
  precision: number,
  search: SearchFn,
): Promise<void> {
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const targets = exactPointTargets(clusters, byKey);
  if (targets.length === 0) return;
  const hits: Record<string, unknown>[] = [];
  for (const body of exactPointsBodies(targets, query, field)) {
    const res = await search(body);
    hits.push(...((res.hits as { hits?: Record<string, unknown>[] } | undefined)?.hits ?? []));
  }
  refreshClusterPoints(clusters, byKey, applyExactPoints(targets, hits, field, precision));
}
