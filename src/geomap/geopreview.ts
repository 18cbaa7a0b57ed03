/**
 * `geopreview` (undocumented; ods-map's `auto` display mode on a dataset of mostly shapes,
 * ods-widgets map-rendering-shape-preview.js): one entry per distinct shape of the filtered records,
 * simplified to the map zoom, as ODS's geoshape plugin aggregated them:
 *   [ {"geometry": <GeoJSON>, "geo_digest": "<d>"}, ... ]
 * - `rows` (default 1000, what the widget sends; at most 10 000) caps the number of shapes; when it
 *   cuts, the longest shapes (perimeter, src/ingest/geo-digest.ts) come first, as the plugin ranked
 *   its buckets, and the widget warns that the map is incomplete (it compares the length to rows);
 * - distinct shapes: one OpenSearch `collapse` on the shape's digest, so 10 000 records over 36
 *   districts give 36 shapes;
 * - geometries are simplified to one pixel of the zoom (`clusterprecision`, map-geometry.ts), which
 *   keeps a world view of thousands of polygons small and fast;
 * - the widget sends `geo_digest` back to find the records of a clicked shape (geofilters.ts);
 * - a point dataset (no geo_shape, or `geo_field` naming a point) gives one Point per record and no
 *   digest: the widget then finds a clicked point's records by its location.
 */
import type { Clause } from '../search/facets/facet-kind';
import { badParameter } from '../errors';
import type { ParamSource } from '../search/search-request';
import type { Geometry } from '../download/simplify';
import { mapGeometry } from './map-geometry';
import type { MapTarget } from './map-target';
import { geoDigestPath, valuePath } from '../datasets/field-paths';

export const DEFAULT_PREVIEW_ROWS = 1000;
export const MAX_PREVIEW_ROWS = 10000;

export interface GeopreviewRequest {
  target: MapTarget;
  zoom: number;
  rows: number;
}

export function previewRows(params: ParamSource): number {
  const raw = params.get('rows')?.trim();
  if (raw === undefined || raw === '') return DEFAULT_PREVIEW_ROWS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > MAX_PREVIEW_ROWS) {
    throw badParameter('rows', `expected a number of shapes from 0 to ${MAX_PREVIEW_ROWS}, got "${raw.slice(0, 40)}"`);
  }
  return n;
}

export function geopreviewBody(req: GeopreviewRequest, query: Clause): Record<string, unknown> {
  const path = valuePath(req.target.field);
  const filtered = { bool: { must: [query], filter: [{ exists: { field: path } }] } };
  if (req.target.kind === 'point') {
    return { size: req.rows, track_total_hits: false, query: filtered, sort: [{ recordid: 'asc' }], _source: [path] };
  }
  const digest = geoDigestPath(req.target.field);
  return {
    size: req.rows,
    track_total_hits: false,
    query: filtered,
    collapse: { field: digest },
    sort: [{ [`__geo_length.${req.target.field}`]: { order: 'desc' } }, { [digest]: 'asc' }],
    _source: [path, digest],
  };
}

export interface PreviewShape {
  geometry: Geometry;
  geo_digest?: string;
}

interface Hit {
  _source?: { fields?: Record<string, unknown>; __geo_digest?: Record<string, unknown> };
}

export function geopreviewResponse(req: GeopreviewRequest, res: Record<string, unknown>): PreviewShape[] {
  const hits = ((res.hits as { hits?: Hit[] } | undefined)?.hits ?? []) as Hit[];
  const out: PreviewShape[] = [];
  for (const h of hits) {
    const value = h._source?.fields?.[req.target.field];
    if (req.target.kind === 'point') {
      const p = value as { lat?: unknown; lon?: unknown } | undefined;
      if (typeof p?.lat === 'number' && typeof p.lon === 'number') out.push({ geometry: { type: 'Point', coordinates: [p.lon, p.lat] } });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const item: PreviewShape = { geometry: mapGeometry(value as Geometry, req.zoom) };
    const digest = h._source?.__geo_digest?.[req.target.field];
    if (typeof digest === 'string') item.geo_digest = digest;
    out.push(item);
  }
  return out;
}
