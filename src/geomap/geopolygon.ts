/**
 * `geopolygon` (undocumented; ods-map's `aggregation` and `choropleth` display modes,
 * ods-widgets map-rendering-aggregation.js and map-rendering-choropleth-aggregation.js): the
 * filtered records grouped by shape, each group with its count and the y series, in the shape of a
 * geocluster response, as ODS's geoshape plugin grouped them:
 *   {"clusters": [{"cluster": <GeoJSON>, "count": n, "series": {"serie1": v}, "geo_digest": "<d>"}],
 *    "count": {"max": .., "min": ..}, "series": {"serie1": {"max": .., "min": ..}}, "clusterprecision": z}
 * - one group per distinct shape (its digest, src/ingest/geo-digest.ts), read exhaustively with a
 *   composite aggregation: past GEOCLUSTER_MAX_CELLS groups the answer is a 400 naming the setting,
 *   never a truncated map; then the shapes themselves, one per digest (collapse, one search up to
 *   10 000 shapes), simplified to one
 *   pixel of the zoom (`clusterprecision`, map-geometry.ts);
 * - a point dataset (or `geo_field` naming a point field): one group per location (a geotile of the
 *   finest precision, 29, a few centimetres), its `cluster` the Point at the mean of the group, and
 *   no digest (the widget finds a clicked point's records by its location);
 * - the series are those of analyze (`y.<serie>.func`, `.expr`); groups are never merged, so every
 *   function works, QUANTILES included; clusters come largest count first.
 */
import { readSerieStats, seriesAggregations, serieValue, type SerieSpec, type SerieStats, type SerieValue } from '../analyze/series';
import type { SearchFn } from '../analyze/collect-buckets';
import { GatewayError } from '../errors';
import type { Clause } from '../search/facets/facet-kind';
import type { Geometry } from '../download/simplify';
import { mapGeometry } from './map-geometry';
import { range, seriesRanges } from '../geocluster/shape-geocluster';
import { MAX_ZOOM } from '../geocluster/precision';
import type { MapTarget } from './map-target';
import { geoDigestPath, valuePath } from '../datasets/field-paths';

export const GROUPS_AGG = 'groups';
/** Composite buckets per page, and shapes per fetch (the 10 000 hits window). */
export const GEOPOLYGON_PAGE_SIZE = 10000;

export interface GeopolygonRequest {
  target: MapTarget;
  zoom: number;
  series: SerieSpec[];
}

interface Group {
  key: string;
  count: number;
  stats: SerieStats[];
  /** Point groups: the mean location. */
  point?: [number, number];
}

export interface GeopolygonCluster {
  cluster: Geometry;
  count: number;
  series?: Record<string, SerieValue>;
  geo_digest?: string;
}

export interface GeopolygonResponse {
  clusters: GeopolygonCluster[];
  count: { max: number; min: number };
  series?: Record<string, { max: number | null; min: number | null }>;
  clusterprecision: number;
}

const targetPath = (t: MapTarget): string => valuePath(t.field);
const digestPath = (t: MapTarget): string => geoDigestPath(t.field);

function withGeo(t: MapTarget, query: Clause): Clause {
  return { bool: { must: [query], filter: [{ exists: { field: targetPath(t) } }] } };
}

export function groupsBody(req: GeopolygonRequest, query: Clause, after?: Record<string, unknown>): Record<string, unknown> {
  const t = req.target;
  const source = t.kind === 'shape' ? { terms: { field: digestPath(t) } } : { geotile_grid: { field: targetPath(t), precision: MAX_ZOOM } };
  const composite: Record<string, unknown> = { size: GEOPOLYGON_PAGE_SIZE, sources: [{ g: source }] };
  if (after) composite.after = after;
  const aggs: Record<string, unknown> = { ...seriesAggregations(req.series) };
  if (t.kind === 'point') aggs.c = { geo_centroid: { field: targetPath(t) } };
  return { size: 0, track_total_hits: false, query: withGeo(t, query), aggs: { [GROUPS_AGG]: { composite, aggs } } };
}

export function tooManyGroups(max: number): GatewayError {
  return new GatewayError(
    'bad_parameter',
    `The map has more than ${max} distinct shapes or locations (the gateway's GEOCLUSTER_MAX_CELLS setting); send a geofilter.bbox of the visible map or filter the records`,
    { extra: { limit: 'GEOCLUSTER_MAX_CELLS', max } },
  );
}

function readGroup(req: GeopolygonRequest, b: Record<string, unknown>): Group {
  const g: Group = {
    key: String((b.key as Record<string, unknown>).g),
    count: Number(b.doc_count ?? 0),
    stats: req.series.map((s, i) => readSerieStats(s, b, i)),
  };
  const c = (b.c as { location?: { lat: number; lon: number } } | undefined)?.location;
  if (c) g.point = [c.lon, c.lat];
  return g;
}

export async function collectGroups(req: GeopolygonRequest, query: Clause, search: SearchFn, maxGroups: number): Promise<Group[]> {
  const groups: Group[] = [];
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const res = await search(groupsBody(req, query, after));
    const agg = (res.aggregations as Record<string, { buckets?: Record<string, unknown>[]; after_key?: Record<string, unknown> }> | undefined)?.[GROUPS_AGG];
    const page = agg?.buckets ?? [];
    for (const b of page) groups.push(readGroup(req, b));
    if (groups.length > maxGroups) throw tooManyGroups(maxGroups);
    if (page.length < GEOPOLYGON_PAGE_SIZE || !agg?.after_key) return groups;
    after = agg.after_key;
  }
}

/**
 * One hit per digest: when every group fits in one page, the shapes of the whole filtered set (a
 * collapse on the digest, no list to send); beyond, pages of digests named in a `terms`.
 */
export function shapesBody(req: GeopolygonRequest, query: Clause, digests: readonly string[], all: boolean): Record<string, unknown> {
  const t = req.target;
  const filter: Clause[] = [{ exists: { field: targetPath(t) } }];
  if (!all) filter.push({ terms: { [digestPath(t)]: [...digests] } });
  return {
    size: digests.length,
    track_total_hits: false,
    query: { bool: { must: [query], filter } },
    collapse: { field: digestPath(t) },
    _source: [targetPath(t), digestPath(t)],
  };
}

/** The shape of every digest (shape datasets). */
export async function fetchShapes(req: GeopolygonRequest, query: Clause, digests: readonly string[], search: SearchFn): Promise<Map<string, Geometry>> {
  const out = new Map<string, Geometry>();
  const all = digests.length <= GEOPOLYGON_PAGE_SIZE;
  for (let i = 0; i < digests.length; i += GEOPOLYGON_PAGE_SIZE) {
    const res = await search(shapesBody(req, query, digests.slice(i, i + GEOPOLYGON_PAGE_SIZE), all));
    type Hit = { _source?: { fields?: Record<string, unknown>; __geo_digest?: Record<string, unknown> } };
    for (const h of ((res.hits as { hits?: Hit[] } | undefined)?.hits ?? []) as Hit[]) {
      const d = h._source?.__geo_digest?.[req.target.field];
      const g = h._source?.fields?.[req.target.field];
      if (typeof d === 'string' && g && typeof g === 'object') out.set(d, g as Geometry);
    }
  }
  return out;
}

export function geopolygonResponse(req: GeopolygonRequest, groups: readonly Group[], shapes: ReadonlyMap<string, Geometry>): GeopolygonResponse {
  const ordered = [...groups].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const clusters: GeopolygonCluster[] = [];
  for (const g of ordered) {
    let geometry: Geometry | undefined;
    if (req.target.kind === 'point') geometry = g.point ? { type: 'Point', coordinates: g.point } : undefined;
    else {
      const shape = shapes.get(g.key);
      geometry = shape ? mapGeometry(shape, req.zoom) : undefined;
    }
    // A group whose shape vanished between the two reads (a reload in between) is left out.
    if (!geometry) continue;
    const item: GeopolygonCluster = { cluster: geometry, count: g.count };
    if (req.series.length > 0) item.series = Object.fromEntries(req.series.map((s, i) => [s.name, serieValue(s, g.count, g.stats[i])]));
    if (req.target.kind === 'shape') item.geo_digest = g.key;
    clusters.push(item);
  }
  const response: GeopolygonResponse = {
    clusters,
    count: range(clusters.map((c) => c.count)) ?? { max: 0, min: 0 },
    clusterprecision: req.zoom,
  };
  if (req.series.length > 0) response.series = seriesRanges(req.series, clusters);
  const { clusters: cs, count, series, clusterprecision } = response;
  return series ? { clusters: cs, count, series, clusterprecision } : { clusters: cs, count, clusterprecision };
}
