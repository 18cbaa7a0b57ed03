/**
 * Geocluster grid arithmetic (docs/opensearch-design.md, Geocluster).
 *
 * `clusterprecision` is the map zoom z (256-px tiles) and `clusterdistance` a radius r in pixels at
 * that zoom. Points are pre-binned on a geotile grid whose cells are at most r px wide at zoom z,
 * p = z + ceil(log2(256 / r)), then merged by radius in the gateway (merge.ts). geotile cells are
 * squares in Web-Mercator pixels at every latitude, so a pixel radius means the same everywhere.
 *
 * Envelopes (docs/analyze-geocluster-download.md):
 * - a cluster of at most EXACT_POINTS_PER_CLUSTER points gets the exact hull of its points (one
 *   cheap follow-up search reads them; exact-points.ts), as the ODS envelope aggregation gave;
 * - a larger one gets the hull of its cells' bounds (the tight box of each cell's points: an outer
 *   approximation within one cell, at most r px), or of sub-tile bounds `shapeprecision` levels
 *   finer. A sub-grid costs a bucket aggregation under every cell (measured: ~10× the search time),
 *   hence shapeprecision defaults to 0 and its depth is capped at MAX_SHAPE_DEPTH.
 */
export const MAX_ZOOM = 29;
export const TILE_SIZE = 256;
export const MAX_SHAPE_DEPTH = 3;
/** Buckets one composite page may create, under search.max_buckets (65 535 by default). */
export const PAGE_BUCKET_BUDGET = 60000;
export const MAX_PAGE_CELLS = 10000;
/** Clusters of at most this many points get the exact hull of their points. */
export const EXACT_POINTS_PER_CLUSTER = 16;
/** Most points read for exact hulls in one request (beyond: the approximate envelope). */
export const MAX_EXACT_POINTS = 20000;

/** The geotile precision of the cells for zoom z and a radius of r pixels. */
export function cellPrecision(zoom: number, radiusPx: number): number {
  const p = zoom + Math.ceil(Math.log2(TILE_SIZE / radiusPx));
  return Math.max(0, Math.min(MAX_ZOOM, p));
}

/** Sub-tile levels under a cell of precision p: shapeprecision, capped, never past zoom 29. */
export function shapeDepth(cellP: number, shapePrecision: number): number {
  return Math.max(0, Math.min(shapePrecision, MAX_SHAPE_DEPTH, MAX_ZOOM - cellP));
}

/** Cells per composite page so that cells × (1 + sub-tiles) stays within the bucket budget. */
export function pageCells(depth: number | undefined): number {
  const perCell = 1 + 4 ** (depth ?? 0);
  return Math.min(MAX_PAGE_CELLS, Math.floor(PAGE_BUCKET_BUDGET / perCell));
}

/**
 * The geotile of a point, as OpenSearch computes it (GeoTileUtils: longitude normalised, latitude
 * clamped to the Web-Mercator range, floor of the tile coordinate, clamped to the grid).
 */
export function tileKey(lon: number, lat: number, precision: number): string {
  const tiles = 2 ** precision;
  const clampedLat = Math.max(-85.05112878, Math.min(85.05112878, lat));
  const normLon = lon === 180 ? 180 : ((((lon + 180) % 360) + 360) % 360) - 180;
  const x = Math.min(tiles - 1, Math.max(0, Math.floor(((normLon + 180) / 360) * tiles)));
  const sin = Math.sin((clampedLat * Math.PI) / 180);
  const yf = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  const y = Math.min(tiles - 1, Math.max(0, Math.floor(yf * tiles)));
  return `${precision}/${x}/${y}`;
}
