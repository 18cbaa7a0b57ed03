/**
 * The download parameters beyond the filtering context (docs/v1-api.md, Download):
 *   format                 csv (default) | json | jsonp | geojson | geojsonp
 *   csv_separator          default `;`
 *   use_labels_for_header  CSV header of field labels instead of names
 *   fields                 comma-separated dataset fields (resolveField: hidden = unknown)
 *   rows                   a cap on the number of records (ods-widgets sends rows=1000); -1: none
 *   sort                   as record search (src/search/sort.ts: numbers and dates bare = descending,
 *                          sortable text bare = ascending, `recordid` tiebreak)
 *   geo_simplify, geo_simplify_zoom   shape simplification (simplify.ts)
 * `facet`, `start` and unknown parameters are accepted and ignored.
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { type QuerySchema, resolveField } from '../query/resolve-field';
import { csvSeparatorParam } from '../responses/formats/csv';
import type { Clause } from '../search/facets/facet-kind';
import { ALL_ROWS, type ParamSource } from '../search/search-request';
import { buildSort } from '../search/sort';
import { DEFAULT_SIMPLIFY_ZOOM, toleranceForZoom } from './simplify';

export const DOWNLOAD_FORMATS = ['csv', 'json', 'jsonp', 'geojson', 'geojsonp'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export interface DownloadRequest {
  format: DownloadFormat;
  separator: string;
  labels: boolean;
  /** Dataset fields to output, in order (default: every visible field). */
  fields: string[];
  /** True when `fields` restricted them. */
  restricted: boolean;
  limit?: number;
  sort?: Clause[];
  /** Douglas–Peucker tolerance in degrees, when geo_simplify=true. */
  simplifyTolerance?: number;
}

const splitList = (values: string[]): string[] => values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);

export function readDownloadRequest(params: ParamSource, d: DatasetDescriptor, schema: QuerySchema): DownloadRequest {
  const format = params.oneOf('format', DOWNLOAD_FORMATS, 'csv');
  const separator = csvSeparatorParam(params.get('csv_separator'));
  const labels = params.bool('use_labels_for_header', false);
  const asked = splitList(params.getAll('fields'));
  const visible = d.fields.filter((f) => !schema.hidden?.has(f.name)).map((f) => f.name);
  const fields =
    asked.length > 0
      ? [...new Set(asked.map((n) => resolveField(schema, n, { parameter: 'fields' })).filter((f) => !f.pseudo).map((f) => f.name))]
      : visible;
  const rowsRaw = params.get('rows');
  // rows=-1 (real clients' "every record", search-request.ts ALL_ROWS): no limit.
  const limit = rowsRaw === undefined || rowsRaw.trim() === ALL_ROWS ? undefined : params.int('rows', 0, 0, Number.MAX_SAFE_INTEGER);
  const sortKeys = splitList(params.getAll('sort'));
  const sort = sortKeys.length > 0 ? buildSort(sortKeys, { schema, hasQuery: false }) : undefined;
  const req: DownloadRequest = { format, separator, labels, fields, restricted: asked.length > 0 };
  if (limit !== undefined) req.limit = limit;
  if (sort) req.sort = sort;
  if (params.bool('geo_simplify', false)) {
    req.simplifyTolerance = toleranceForZoom(params.int('geo_simplify_zoom', DEFAULT_SIMPLIFY_ZOOM, 0, 29));
  }
  return req;
}
