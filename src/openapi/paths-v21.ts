/**
 * The Explore API v2.1 paths (docs/odsql.md): catalog datasets, records with ODSQL, a record, a
 * dataset's facets and exports. GET only, as v2.1 clients call them; trailing slashes optional.
 */
import { RATE_LIMIT_HEADERS, responseRef } from './components';
import { paramRef } from './parameters';
import type { JsonSchema, Parameter, PathItem, Ref, Response } from './types';

const TAG = 'Explore API v2.1';

const q = (name: string, description: string, schema: JsonSchema = { type: 'string' }): Parameter => ({ name, in: 'query', description, schema });
const repeated = (name: string, description: string): Parameter => ({
  name,
  in: 'query',
  description: `${description} Repeatable.`,
  schema: { type: 'array', items: { type: 'string' } },
  style: 'form',
  explode: true,
});
const p = (name: string, description: string): Parameter => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

const DATASET_ID = p('dataset_id', 'The dataset id');
const WHERE = repeated('where', 'An ODSQL filter: comparisons (also year(field) with a year), in, like, is null, search(), suggest(), startswith(), within_distance(), in_bbox(), intersects(), quoted full text, and/or/not.');
const REFINE = repeated('refine', 'A facet value to keep, `field:value`.');
const EXCLUDE = repeated('exclude', 'A facet value to leave out, `field:value`.');
const TIMEZONE = q('timezone', 'The IANA time zone of dates in filters, groups and results (default UTC).');
const SELECT = q('select', 'ODSQL select: fields, aliases (`as`), arithmetic, include()/exclude(), aggregates count, sum, avg, min, max, median, percentile, bbox, count(distinct ...).');
const GROUP_BY = q('group_by', 'ODSQL group_by: fields, range(field, [steps]) or range(field, width), date_format(field, pattern), year()...second().');
const ORDER_BY = q('order_by', 'ODSQL order_by: expressions with ASC or DESC (or a leading minus).');
const LIMIT = q('limit', 'Records per page (at most 100; offset + limit at most 10000), or groups (at most 20000, -1 for all).', { type: 'integer' });
const OFFSET = q('offset', 'Index of the first result.', { type: 'integer', minimum: 0 });

const ERROR: JsonSchema = {
  type: 'object',
  required: ['error_code', 'message'],
  properties: {
    error_code: { type: 'string', description: 'ODSQLError, InvalidRESTParameterError, NotFound, QuotaExceeded...' },
    message: { type: 'string' },
    parameter: { type: 'string' },
    position: { type: 'integer' },
    line: { type: 'integer' },
    column: { type: 'integer' },
  },
};
const error = (description: string): Response => ({ description, content: { 'application/json': { schema: ERROR } } });
/** The v2.1 error responses, shared through components.responses. */
export const V21_RESPONSES: Record<string, Response> = {
  V21BadRequest: error('A clause does not parse (with its position) or names an unknown field; a parameter is out of range.'),
  V21Unauthorized: error('Credentials are required for this dataset, or those given are not valid.'),
  V21NotFound: error('Unknown dataset or record (a dataset the caller may not see is unknown).'),
  V21QuotaExceeded: error('The daily quota of this caller is used up.'),
  V21Unavailable: error('The search backend is unavailable.'),
};
const ERRORS: Record<string, Ref> = {
  '400': responseRef('V21BadRequest'),
  '401': responseRef('V21Unauthorized'),
  '404': responseRef('V21NotFound'),
  '429': responseRef('V21QuotaExceeded'),
  '503': responseRef('V21Unavailable'),
};
const json = (description: string, schema: JsonSchema): Response => ({ description, headers: RATE_LIMIT_HEADERS, content: { 'application/json': { schema } } });

const DATASET: JsonSchema = {
  type: 'object',
  properties: {
    dataset_id: { type: 'string' },
    dataset_uid: { type: 'string' },
    has_records: { type: 'boolean' },
    features: { type: 'array', items: { type: 'string' } },
    fields: { type: 'array', items: { type: 'object' } },
    metas: { type: 'object', properties: { default: { type: 'object' } } },
  },
};
const RESULTS = (items: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['total_count', 'results'],
  properties: { total_count: { type: 'integer' }, results: { type: 'array', items } },
});

/** The v2.1 parameters, shared through components.parameters (keys `v21<Name>`). */
export const V21_PARAMETERS: Record<string, Parameter> = {};
const shared = (param: Parameter): Ref | Parameter => {
  if (param.in === 'path' && param.name !== 'dataset_id') return param;
  const key = `v21${param.name.charAt(0).toUpperCase()}${param.name.slice(1).replace(/_(.)/g, (_m, c: string) => c.toUpperCase())}`;
  const existing = V21_PARAMETERS[key];
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(param)) return param;
  V21_PARAMETERS[key] = param;
  return paramRef(key);
};

const get = (operationId: string, summary: string, description: string, parameters: Parameter[], ok: Response): PathItem => ({
  get: { operationId, summary, description, tags: [TAG], parameters: parameters.map(shared), responses: { '200': ok, ...ERRORS } },
});

export const V21_TAG = { name: TAG, description: 'The Explore API v2.1 (ODSQL) over the same datasets, permissions and quotas as v1.' };

export const V21_PATHS: Record<string, PathItem> = {
  '/api/explore/v2.1/catalog/datasets': get(
    'v21ListDatasets',
    'List the datasets (v2.1)',
    'The datasets the caller may see, filtered by an ODSQL `where` on their metas, paged with limit and offset.',
    [WHERE, LIMIT, OFFSET, TIMEZONE],
    json('The datasets.', RESULTS(DATASET)),
  ),
  '/api/explore/v2.1/catalog/facets': get(
    'v21CatalogFacets',
    'Facets of the catalog (v2.1)',
    'The values of the catalog facets (publisher, theme, keyword, license, language, modified...) over the datasets the caller may see.',
    [repeated('facet', 'A field to facet on.'), WHERE, REFINE, EXCLUDE, TIMEZONE],
    json('The facets.', { type: 'object', properties: { facets: { type: 'array', items: { type: 'object' } } } }),
  ),
  '/api/explore/v2.1/catalog/datasets/{dataset_id}': get(
    'v21GetDataset',
    'Look up a dataset (v2.1)',
    'One dataset: its metas (under `default`), fields and features, as the caller may see it.',
    [DATASET_ID],
    json('The dataset.', DATASET),
  ),
  '/api/explore/v2.1/catalog/datasets/{dataset_id}/records': get(
    'v21Records',
    'Query records (v2.1)',
    'Records as flat objects, or with aggregates and group_by one row per group. Exact groups (paged to the end); more than 20000 groups is a 400.',
    [DATASET_ID, SELECT, WHERE, GROUP_BY, ORDER_BY, LIMIT, OFFSET, REFINE, EXCLUDE, TIMEZONE],
    json('The records or groups.', RESULTS({ type: 'object' })),
  ),
  '/api/explore/v2.1/catalog/datasets/{dataset_id}/records/{record_id}': get(
    'v21Record',
    'Read a record (v2.1)',
    'One record by id, as a flat object.',
    [DATASET_ID, p('record_id', 'The record id'), SELECT, TIMEZONE],
    json('The record.', { type: 'object' }),
  ),
  '/api/explore/v2.1/catalog/datasets/{dataset_id}/facets': get(
    'v21Facets',
    'Facets of a dataset (v2.1)',
    'The values of the facet fields (those annotated facet, or those named by `facet`) with their counts, under the filters.',
    [DATASET_ID, repeated('facet', 'A field to facet on.'), WHERE, REFINE, EXCLUDE, TIMEZONE],
    json('The facets.', { type: 'object', properties: { facets: { type: 'array', items: { type: 'object' } } } }),
  ),
  '/api/explore/v2.1/catalog/datasets/{dataset_id}/exports/{format}': get(
    'v21Export',
    'Export records (v2.1)',
    'Every filtered record, streamed: json (an array), jsonl (one object a line), csv (`delimiter`, default `;`), geojson, parquet (one row group per 1000 records, typed columns) or xlsx (one worksheet: more than 1048575 records is a 400 naming `limit`).',
    [
      DATASET_ID,
      { ...p('format', 'json, jsonl, csv, geojson, parquet or xlsx'), schema: { type: 'string', enum: ['json', 'jsonl', 'csv', 'geojson', 'parquet', 'xlsx'] } },
      SELECT,
      WHERE,
      ORDER_BY,
      { ...LIMIT, description: 'Most records to export (default -1: all).' },
      REFINE,
      EXCLUDE,
      TIMEZONE,
      q('delimiter', 'The CSV delimiter (default `;`).'),
    ],
    {
      description: 'The records, streamed as an attachment.',
      headers: RATE_LIMIT_HEADERS,
      content: {
        'application/json': { schema: { type: 'array', items: { type: 'object' } } },
        'application/jsonl': { schema: { type: 'string' } },
        'text/csv': { schema: { type: 'string' } },
        'application/geo+json': { schema: { type: 'object' } },
        'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
      },
    },
  ),
};
