/**
 * A geocluster request → the `_search` bodies, one per page (docs/opensearch-design.md, Geocluster):
 * a `composite` over a `geotile_grid` source (exhaustive: pages never drop a cell, unlike a plain
 * geotile_grid with a size), with under each cell
 *   c      geo_centroid: count-weighted means merge exactly into the mean of a cluster's points;
 *   b      geo_bounds of the cell's points (with envelopes): approximate envelopes, and the boxes the
 *          exact-points search reads;
 *   sub    geotile_grid `depth` levels down, size 4^depth (every sub-tile a cell can have), with
 *          the geo_bounds of each (shapeprecision ≥ 1);
 *   y<i>   the series (extended_stats: they merge exactly).
 */
import type { Clause } from '../search/facets/facet-kind';
import { seriesAggregations } from '../analyze/series';
import type { GeoclusterRequest } from './geocluster-request';
import { cellPrecision, pageCells, shapeDepth } from './precision';

export const CELLS_AGG = 'cells';

export interface GeoclusterGrid {
  precision: number;
  /** Sub-tile levels for the envelope (0: the cells' own bounds); undefined without envelopes. */
  depth: number | undefined;
  pageSize: number;
}

export function gridOf(req: GeoclusterRequest): GeoclusterGrid {
  const precision = cellPrecision(req.zoom, req.radiusPx);
  const depth = req.polygons ? shapeDepth(precision, req.shapePrecision) : undefined;
  return { precision, depth, pageSize: pageCells(depth) };
}

export function geoclusterBody(req: GeoclusterRequest, grid: GeoclusterGrid, query: Clause, after?: Record<string, unknown>): Record<string, unknown> {
  const field = req.pointPath;
  const bounds = { geo_bounds: { field, wrap_longitude: false } };
  const aggs: Record<string, unknown> = { c: { geo_centroid: { field } } };
  if (grid.depth !== undefined) aggs.b = bounds;
  if (grid.depth !== undefined && grid.depth > 0) {
    aggs.sub = { geotile_grid: { field, precision: grid.precision + grid.depth, size: 4 ** grid.depth }, aggs: { b: bounds } };
  }
  Object.assign(aggs, seriesAggregations(req.series));
  const composite: Record<string, unknown> = {
    size: grid.pageSize,
    sources: [{ cell: { geotile_grid: { field, precision: grid.precision } } }],
  };
  if (after) composite.after = after;
  return { size: 0, track_total_hits: false, query, aggs: { [CELLS_AGG]: { composite, aggs } } };
}
