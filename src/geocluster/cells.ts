/**
 * Composite geotile buckets → cells: count, centroid, the points the envelope is built from, and the
 * series statistics; and the paging loop that reads every cell (or refuses past GEOCLUSTER_MAX_CELLS).
 */
import { GatewayError } from '../errors';
import type { Clause } from '../search/facets/facet-kind';
import { readSerieStats, type SerieStats } from '../analyze/series';
import type { SearchFn } from '../analyze/collect-buckets';
import { CELLS_AGG, geoclusterBody, type GeoclusterGrid } from './build-geocluster-body';
import type { GeoclusterRequest } from './geocluster-request';
import type { LonLat } from './hull';

export interface Cell {
  /** The geotile key `z/x/y`. */
  key: string;
  count: number;
  lat: number;
  lon: number;
  /** Candidate envelope vertices: corners of the sub-tiles' (or the cell's) bounds, [lon, lat]. */
  points: LonLat[];
  /** The tight box of the cell's points, [west, south, east, north] (with envelopes). */
  box?: [number, number, number, number];
  stats: SerieStats[];
}

interface Bounds {
  top_left?: { lat: number; lon: number };
  bottom_right?: { lat: number; lon: number };
}

/** The corners of a geo_bounds (one point when the bounds hold one location). */
function corners(b: { bounds?: Bounds } | undefined): LonLat[] {
  const tl = b?.bounds?.top_left;
  const br = b?.bounds?.bottom_right;
  if (!tl || !br) return [];
  if (tl.lat === br.lat && tl.lon === br.lon) return [[tl.lon, tl.lat]];
  return [
    [tl.lon, br.lat],
    [br.lon, br.lat],
    [br.lon, tl.lat],
    [tl.lon, tl.lat],
  ];
}

export function readCell(req: GeoclusterRequest, bucket: Record<string, unknown>): Cell {
  const key = String((bucket.key as Record<string, unknown>).cell);
  const centroid = (bucket.c as { location?: { lat: number; lon: number } } | undefined)?.location;
  const points: LonLat[] = [];
  const sub = (bucket.sub as { buckets?: { b?: { bounds?: Bounds } }[] } | undefined)?.buckets;
  const own = bucket.b as { bounds?: Bounds } | undefined;
  if (sub) for (const t of sub) points.push(...corners(t.b));
  else if (own) points.push(...corners(own));
  const cell: Cell = {
    key,
    count: Number(bucket.doc_count ?? 0),
    lat: centroid?.lat ?? 0,
    lon: centroid?.lon ?? 0,
    points,
    stats: req.series.map((s, i) => readSerieStats(s, bucket, i)),
  };
  const tl = own?.bounds?.top_left;
  const br = own?.bounds?.bottom_right;
  if (tl && br) cell.box = [tl.lon, br.lat, br.lon, tl.lat];
  return cell;
}

export function tooManyCells(max: number): GatewayError {
  return new GatewayError(
    'bad_parameter',
    `The clustering needs more than ${max} grid cells (the gateway's GEOCLUSTER_MAX_CELLS setting); send a geofilter.bbox of the visible map, a lower clusterprecision or a larger clusterdistance`,
    { extra: { limit: 'GEOCLUSTER_MAX_CELLS', max } },
  );
}

export async function collectCells(req: GeoclusterRequest, grid: GeoclusterGrid, query: Clause, search: SearchFn, maxCells: number): Promise<Cell[]> {
  const cells: Cell[] = [];
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const res = await search(geoclusterBody(req, grid, query, after));
    const agg = (res.aggregations as Record<string, { buckets?: Record<string, unknown>[]; after_key?: Record<string, unknown> }> | undefined)?.[CELLS_AGG];
    const page = agg?.buckets ?? [];
    for (const b of page) cells.push(readCell(req, b));
    if (cells.length > maxCells) throw tooManyCells(maxCells);
    if (page.length < grid.pageSize || !agg?.after_key) return cells;
    after = agg.after_key;
  }
}
