/**
 * The request parameters (components.parameters), with their v1 names.
 *
 * v1 parameters come in two kinds the document must describe honestly:
 * - repeatable ones (`q`, `facet`, `sort`, `x`, `geofilter.*`...): arrays, `style: form`, `explode: true`
 *   (`?facet=a&facet=b`); every value counts;
 * - families whose NAME carries a field or serie name (`refine.<field>`, `exclude.<field>`,
 *   `disjunctive.<field>`, `facetsort.<field>`, `q.<name>`, `y.<serie>.func`, `agg.<name>.expr`...).
 *   OpenAPI has no parameter-name patterns, so each family is one object parameter serialised with
 *   `style: form, explode: true` (each property becomes its own `name=value` pair), whose property
 *   names are constrained by `propertyNames.pattern`. `{"refine.country_code": "FR"}` is sent as
 *   `refine.country_code=FR`. To send one name twice, repeat the pair in the query string.
 *
 * The same parameters are accepted in a POST body (form or JSON): see `bodySchemaOf` in operations.ts.
 *
 * Only required parameters carry a real `example` (families an empty one): API consoles fill the
 * inputs with the examples when "Try it out" is pressed, and an example `q` or `refine.*` would
 * silently filter the visitor's call.
 */
import { DATASET_ID_PATTERN } from '../datasets/descriptor';
import { FACET_SORTS } from '../search/search-request';
import { PERIODICS, PRECISIONS } from '../analyze/date-parts';
import { SERIE_FUNCS } from '../analyze/series';
import type { JsonSchema, Parameter, Ref } from './types';

export const paramRef = (key: string): Ref => ({ $ref: `#/components/parameters/${key}` });

const query = (name: string, description: string, schema: JsonSchema, extra: Partial<Parameter> = {}): Parameter => ({
  name,
  in: 'query',
  description,
  schema,
  ...extra,
});
const repeated = (name: string, description: string, items: JsonSchema = { type: 'string' }, extra: Partial<Parameter> = {}): Parameter =>
  query(name, `${description} Repeatable.`, { type: 'array', items }, { style: 'form', explode: true, ...extra });
const bool: JsonSchema = { type: 'boolean' };
const path = (name: string, description: string, schema: JsonSchema = { type: 'string' }): Parameter => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

/** A `<prefix>.<name>` family as one form-exploded object parameter. */
function family(name: string, pattern: string, description: string, values: JsonSchema, example: Record<string, unknown>): Parameter {
  return {
    name,
    in: 'query',
    description:
      `${description}\n\nA family of parameters: each property of this object is sent as its own query parameter ` +
      `(\`${Object.keys(example)[0] ?? name}=${String(Object.values(example)[0])}\`). Names match \`${pattern}\`.`,
    style: 'form',
    explode: true,
    schema: { type: 'object', propertyNames: { pattern }, additionalProperties: values },
    // An empty example: without one, consoles generate a sample object (`additionalProp1=string`)
    // and send it with every "Try it out".
    example: {},
  };
}

const FIELD = '[a-z_][a-z0-9_]*';
const SERIE = '[^.]{1,100}';

export const PARAMETERS: Record<string, Parameter> = {
  dataset: query(
    'dataset',
    'The dataset id (`id@domain` is accepted, the domain ignored). One dataset at a time: several different ids answer 400.',
    { type: 'string', pattern: `^[a-z0-9][a-z0-9_-]{0,99}(@.*)?$` },
    { required: true, example: 'geonames-cities' },
  ),
  datasetid: path('datasetid', 'The dataset id', { type: 'string', pattern: DATASET_ID_PATTERN.source }),
  recordid: path('recordid', 'The record id'),

  q: repeated('q', 'Full-text search and the v1 query language (docs/query-language.md): `paris`, `population > 1000000`, `country_code:FR AND NOT name:saint`. All values are ANDed.', { type: 'string' }),
  qNamed: family('q.<name>', `^q\\.[^.]+$`, 'Named queries ANDed with `q` (ods-widgets send `q.timerange`, `q.geonav`).', { type: 'string' }, { 'q.timerange': 'date >= 2014' }),
  facet: repeated('facet', 'Fields to compute facets on (fields annotated `facet`).', { type: 'string' }),
  catalogFacet: repeated('facet', 'Catalog facets: modified, publisher, issued, accrualperiodicity, language, license, granularity, dataquality, theme, keyword, created, creator, contributor.', {
    type: 'string',
    enum: ['modified', 'publisher', 'issued', 'accrualperiodicity', 'language', 'license', 'granularity', 'dataquality', 'theme', 'keyword', 'created', 'creator', 'contributor'],
  }),
  refine: family('refine.<field>', `^refine\\.${FIELD}$`, 'Keep only the records with this facet value (a path for hierarchical facets: `2020/10`). Repeat a name to AND its values (OR with disjunctive.<field>).', { type: 'string' }, { 'refine.country_code': 'FR' }),
  exclude: family('exclude.<field>', `^exclude\\.${FIELD}$`, 'Leave out the records with this facet value.', { type: 'string' }, { 'exclude.country_code': 'FR' }),
  disjunctive: family('disjunctive.<field>', `^disjunctive\\.${FIELD}$`, 'true: the refines of this facet are ORed, and its counts ignore its own refines.', { type: 'boolean' }, { 'disjunctive.country_code': true }),
  // The values are listed in the description, not as an enum or a pattern: consoles (Swagger UI) fill
  // a value generated from them into "Try it out", which would send facetsort parameters unasked.
  facetsort: family('facetsort.<field>', `^facetsort\\.${FIELD}$`, `Order of a facet's values: ${FACET_SORTS.join(', ')}; \`-\` is descending.`, { type: 'string' }, { 'facetsort.country_code': '-count' }),

  geofilterDistance: repeated('geofilter.distance', 'Records within a distance of a point: `lat,lon[,meters]` (no radius: 1 m). With sort=dist, each record gets `fields.dist`.', { type: 'string' }),
  geofilterPolygon: repeated('geofilter.polygon', 'Records in a polygon: `(lat,lon),(lat,lon),(lat,lon)...`.'),
  geofilterBbox: repeated('geofilter.bbox', 'Records in a box: `swLat,swLon,neLat,neLon`.'),
  geoDigest: family(
    'geo_digest[.<field>]',
    `^geo_digest(\\.${FIELD})?$`,
    'Records whose shape has this digest (the `geo_digest` of a geopreview or geopolygon answer): `geo_digest` on the first geo_shape field, `geo_digest.<field>` on another. ods-map sends it to find the records of a clicked shape.',
    { type: 'string' },
    { geo_digest: '0f5ba1c0d1a5e4d8' },
  ),

  fields: repeated('fields', 'Only these fields in each record (comma-separated and/or repeated).'),
  sort: repeated('sort', 'Sort keys (comma-separated and/or repeated): a field name, `-` for the other direction. Numbers and dates bare sort descending, sortable text ascending; `dist` with geofilter.distance.', { type: 'string' }),
  catalogSort: repeated('sort', 'modified, issued, created, records_count (bare: descending) or title (ascending); `-` reverses. `explore.*` keys are accepted and ignored.'),
  rows: query('rows', 'Records per page (default 10). start + rows may not exceed 10000: use the download API beyond. `-1` (sent by some clients) means the rest of the 10000 window.', { type: 'integer', minimum: -1, default: 10 }),
  catalogRows: query('rows', 'Datasets per page (default 10); values over the 10000 window are clamped.', { type: 'integer', minimum: 0, default: 10 }),
  start: query('start', 'Index of the first result (default 0).', { type: 'integer', minimum: 0, default: 0 }),
  timezone: query('timezone', 'IANA time zone of datetime values, of datetime facets and of dates in q (default UTC).', { type: 'string', default: 'UTC' }),
  lang: query('lang', 'Accepted and ignored (text analysis is the same for every language).', { type: 'string' }),
  callback: query('callback', 'JSONP: wrap the answer in this function call (served as application/javascript). Must match `^[A-Za-z_$][\\w$.]{0,63}$`.', { type: 'string', pattern: '^[A-Za-z_$][\\w$.]{0,63}$' }),
  prettyPrint: query('pretty_print', 'Indent the JSON answer.', bool),
  csvSeparator: query('csv_separator', 'CSV: the separator, one character (default `;`).', { type: 'string', minLength: 1, maxLength: 1, default: ';' }),
  extrametas: query('extrametas', 'Add the dataset\'s `extra_metas` (with `visualization`).', bool),
  interopmetas: query('interopmetas', 'Add the dataset\'s `interop_metas`.', bool),

  formatRecords: query('format', 'Answer format.', { type: 'string', enum: ['json', 'jsonp', 'geojson', 'geojsonp', 'csv', 'rss', 'atom'], default: 'json' }),
  formatCatalog: query('format', 'Answer format.', { type: 'string', enum: ['json', 'jsonp', 'csv', 'rss'], default: 'json' }),
  formatJson: query('format', 'Answer format.', { type: 'string', enum: ['json', 'jsonp'], default: 'json' }),
  formatAnalyze: query('format', 'Answer format.', { type: 'string', enum: ['json', 'jsonp', 'csv'], default: 'json' }),
  formatDownload: query('format', 'Answer format (default csv).', { type: 'string', enum: ['csv', 'json', 'jsonp', 'geojson', 'geojsonp'], default: 'csv' }),

  x: repeated('x', 'The x axis: a text, number or date field, or a date part (`date.year`, `date.month`, `date.weekday`...). At most 10. Without x: one row over every record.', { type: 'string' }),
  precision: query('precision', 'For a date field given bare in x: its bucket size (clamped to the field\'s timeserie_precision).', { type: 'string', enum: [...PRECISIONS], default: 'day' }),
  periodic: query('periodic', 'Fold date buckets onto a period: month gives {month, day...} across years.', { type: 'string', enum: [...PERIODICS], default: 'year' }),
  series: family(
    'y.<serie>.*',
    `^y\\.${SERIE}\\.(func|expr|cumulative|subsets)$`,
    `The series: for each serie name S, \`y.S.func\` (${SERIE_FUNCS.join(', ')}), \`y.S.expr\` (a numeric field or an expression such as \`temp_max - temp_min\`; not for COUNT), \`y.S.cumulative\` (true/false), \`y.S.subsets\` (QUANTILES percentiles, comma-separated).`,
    { type: 'string' },
    { 'y.avg_temp.func': 'AVG', 'y.avg_temp.expr': 'temp_max' },
  ),
  postAggregations: family(
    'agg.<name>.*',
    `^agg\\.${SERIE}\\.(func|expr)$`,
    'Aggregations over the returned rows: `agg.N.func` (MIN, MAX, AVG, SUM, COUNT, comma-separated) of the serie `agg.N.expr`. The answer becomes {results, aggregations}.',
    { type: 'string' },
    { 'agg.range.func': 'MIN,MAX', 'agg.range.expr': 'avg_temp' },
  ),
  analyzeSort: repeated('sort', 'Sort the rows by `x`, `x.<part>`, `x.<field>`, or a serie name; bare ascending, `-` descending (ods-widgets\' convention). Default: ascending x.'),
  maxpoints: query('maxpoints', 'Keep the first N rows after sorting (0: no limit).', { type: 'integer', minimum: 0 }),
  outputTimezone: query('output_timezone', 'The zone the date parts of datetime buckets are read in (bucketing stays in timezone).', { type: 'string' }),

  clusterprecision: query('clusterprecision', 'The map zoom level (0 to 29; a fractional zoom is floored).', { type: 'number', minimum: 0, maximum: 29 }, { required: true, example: 3 }),
  clusterdistance: query('clusterdistance', 'Cluster radius in pixels (default 50).', { type: 'number', exclusiveMinimum: 0, maximum: 10000, default: 50 }),
  shapeprecision: query('shapeprecision', 'Extra precision of the cluster envelopes (clusterprecision + shapeprecision ≤ 29).', { type: 'integer', minimum: 0, maximum: 29, default: 0 }),
  clustermode: query('clustermode', 'polygon: envelopes of the clusters; heatmap: no envelope.', { type: 'string', enum: ['polygon', 'heatmap'], default: 'polygon' }),
  returnPolygons: query('return_polygons', 'Return the cluster envelopes (default true).', bool),

  downloadRows: query('rows', 'At most this many records (default, or -1: all).', { type: 'integer', minimum: -1 }),
  previewRows: query('rows', 'At most this many shapes (default 1000, at most 10000); when it cuts, the longest shapes come first.', { type: 'integer', minimum: 0, maximum: 10000, default: 1000 }),
  geoField: query('geo_field', 'The geo_shape or geo_point_2d field to draw (default: the first visible geo_shape, else the geo_point_2d).', { type: 'string' }),
  useLabels: query('use_labels_for_header', 'CSV: field labels instead of names in the header.', bool),
  geoSimplify: query('geo_simplify', 'Simplify shapes (Douglas–Peucker) for a map at geo_simplify_zoom.', bool),
  geoSimplifyZoom: query('geo_simplify_zoom', 'The zoom level the simplification is made for.', { type: 'integer', minimum: 0, maximum: 29 }),

  itemid: path('itemid', 'The attachment or alternative export id'),
  fileid: path('fileid', 'The file id (content hash) as found in a file field of a record'),
  size: path('size', 'Thumbnail size: the longer side in pixels (1 to THUMBNAIL_MAX_SIZE)', { type: 'integer', minimum: 1 }),

  pushkey: query('pushkey', 'The push key of this dataset resource (the admin API creates them).', { type: 'string' }, { required: true }),
  resource: path('resource', 'The push resource of the dataset', { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' }),
  pushRecordid: path('recordid', 'The id of the record to delete', { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' }),
};
