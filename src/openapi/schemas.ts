/**
 * The JSON bodies of the API as JSON Schema 2020-12 (components.schemas of the OpenAPI document).
 * Shapes that the gateway fixes (records, facet values, geocluster, errors' required keys) are closed
 * with `additionalProperties: false`, so that the response validation tests fail when a body grows or
 * loses a key the document does not know; what a dataset publisher decides (the keys of `fields`,
 * `metas`, `extra_metas`) stays open.
 */
import { ANNOTATION_NAMES, DATASET_ID_PATTERN, FIELD_TYPES } from '../datasets/descriptor';
import { ERROR_TABLE } from '../errors';
import { QUOTA_ERRORCODES } from '../quota/errors';
import type { JsonSchema } from './types';

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const int = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra });
const closed = (required: string[], properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
  ...extra,
});
const position = {
  position: int('0-based offset of the problem in the parameter value'),
  line: int('1-based line of the problem'),
  column: int('1-based column of the problem'),
};

const errorcodes = [...new Set([...Object.values(ERROR_TABLE).map((e) => e.errorcode), ...Object.values(QUOTA_ERRORCODES)])].sort();

export const SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    description:
      'The v1 error body. `errorcode` says what went wrong (the README lists them), `error` says it in English, and `parameter` ' +
      'names the request parameter at fault when there is one. Query and expression errors add the position; limit errors ' +
      'name the limit (`limit`, `max`). Other keys may be added for a kind of error.',
    required: ['errorcode', 'error'],
    properties: {
      errorcode: { type: 'integer', enum: errorcodes },
      error: str('What went wrong, in English; 500 answers give the request id found in the logs'),
      parameter: str('The request parameter at fault'),
      ...position,
      value_index: int('Which value of a repeated parameter is at fault (0-based)'),
      errors: { type: 'array', description: 'Every diagnostic of a query or expression, with its position', items: { type: 'object' } },
      expected: { type: 'array', items: { type: 'string' }, description: 'What the parser expected at the position' },
      found: { type: ['string', 'null'], description: 'What the parser found at the position' },
      field: str('The unknown field'),
      known_fields: { type: 'array', items: { type: 'string' } },
      limit: str('The limit or setting that was exceeded'),
      max: { type: 'number', description: 'Its value' },
      limit_bytes: int('The body size limit'),
      problems: { type: 'array', items: { type: 'object' }, description: 'Push: the invalid records, with their position and field' },
      problems_count: int('Push: how many records are invalid'),
    },
    example: { errorcode: 10404, error: 'Unknown dataset: no-such-dataset' },
  },
  QuotaError: {
    type: 'object',
    description: 'The v1 quota body (HTTP 429): 10005 for the caller\'s own daily limit, 10002 for the domain-wide cap.',
    required: ['errorcode', 'error', 'reset_time', 'limit_time_unit', 'call_limit'],
    additionalProperties: false,
    properties: {
      errorcode: { type: 'integer', enum: [QUOTA_ERRORCODES.identity, QUOTA_ERRORCODES.domain] },
      error: { type: 'string' },
      reset_time: str('When the quota resets (next midnight UTC)', { format: 'date-time' }),
      limit_time_unit: { type: 'string', enum: ['day'] },
      call_limit: int('The daily limit that was reached'),
    },
    example: {
      errorcode: 10005,
      reset_time: '2021-01-26T00:00:00Z',
      limit_time_unit: 'day',
      call_limit: 1000,
      error: 'You have exceeded the requests limit for anonymous users.',
    },
  },
  OAuthError: closed(['error'], {
    error: { type: 'string', enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'unsupported_token_type'] },
    error_description: { type: 'string' },
  }, { description: 'RFC 6749 §5.2 error of the token and revocation endpoints (not the v1 error body).' }),

  Geometry: {
    type: 'object',
    description: 'A GeoJSON geometry (RFC 7946): coordinates are [longitude, latitude].',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] },
      coordinates: { type: 'array' },
      geometries: { type: 'array', items: schemaRef('Geometry') },
    },
    additionalProperties: false,
  },
  Record: closed(['datasetid', 'recordid', 'fields'], {
    datasetid: str('The dataset id', { pattern: DATASET_ID_PATTERN.source }),
    recordid: str('The record id: stable across reloads when the dataset has `id` fields'),
    fields: {
      type: 'object',
      description:
        'The values of the record, by field name (empty values are left out). text: string (multivalued text joined with its ' +
        'separator); int, double: number; date: YYYY-MM-DD; datetime: ISO 8601 in the request timezone; geo_point_2d: [lat, lon]; ' +
        'geo_shape: a GeoJSON geometry; file: a file object. With geofilter.distance: `dist`, meters from the center as a string.',
      additionalProperties: true,
    },
    geometry: schemaRef('Geometry'),
    record_timestamp: str('When the record was loaded or pushed', { format: 'date-time' }),
  }),
  FacetValue: closed(['name', 'path', 'count', 'state'], {
    name: str('The value as shown (for a date level: the year, month or day number)'),
    path: str('The value to send in refine.<facet> / exclude.<facet> (dates: 2020/10/05)'),
    count: int('Records with this value in the context of the other filters', { minimum: 0 }),
    state: { type: 'string', enum: ['displayed', 'refined', 'excluded'] },
    facets: { type: 'array', description: 'The next level, when this value is refined', items: schemaRef('FacetValue') },
  }),
  FacetGroup: closed(['name', 'facets'], {
    name: str('The facet (field) name'),
    facets: { type: 'array', items: schemaRef('FacetValue') },
  }),
  SearchParameters: closed(
    ['timezone', 'rows', 'start', 'format'],
    {
      dataset: str('The dataset as the client named it (record search)'),
      timezone: { type: 'string' },
      q: { type: ['string', 'array'], items: { type: 'string' }, description: 'A string for one value, a list for several (q and q.* together)' },
      rows: { type: 'integer' },
      start: { type: 'integer' },
      sort: { type: 'array', items: { type: 'string' } },
      format: { type: 'string' },
      facet: { type: 'array', items: { type: 'string' } },
      refine: { type: 'object', description: 'By facet: a string for one value, a list for several (a hierarchical refine with its ancestors)', additionalProperties: { type: ['string', 'array'], items: { type: 'string' } } },
      exclude: { type: 'object', additionalProperties: { type: ['string', 'array'], items: { type: 'string' } } },
      'geofilter.distance': { type: 'array', items: { type: 'string' } },
      'geofilter.polygon': { type: 'array', items: { type: 'string' } },
      'geofilter.bbox': { type: 'array', items: { type: 'string' } },
      staged: { type: 'boolean', description: 'Catalog search: always false (v1)' },
    },
    { description: 'The parameters the search understood, normalised (v1 clients read `rows` and `start` from here).' },
  ),
  RecordsSearchResponse: closed(['nhits', 'parameters', 'records'], {
    nhits: int('How many records match (exact)', { minimum: 0 }),
    parameters: schemaRef('SearchParameters'),
    records: { type: 'array', items: schemaRef('Record') },
    facet_groups: { type: 'array', description: 'Only when facets were asked and there are hits', items: schemaRef('FacetGroup') },
  }),
  Feature: closed(['type', 'geometry', 'properties'], {
    type: { const: 'Feature' },
    geometry: { oneOf: [schemaRef('Geometry'), { type: 'null' }] },
    properties: { type: 'object', description: 'The record\'s fields and its recordid', required: ['recordid'], properties: { recordid: { type: 'string' } } },
  }),
  FeatureCollection: closed(['type', 'features'], {
    type: { const: 'FeatureCollection' },
    features: { type: 'array', items: schemaRef('Feature') },
  }, { description: 'format=geojson: one Feature per record.' }),
  Field: closed(['name', 'label', 'type'], {
    name: { type: 'string' },
    label: { type: 'string' },
    type: { type: 'string', enum: [...FIELD_TYPES] },
    description: { type: 'string' },
    annotations: {
      type: 'array',
      items: closed(['name'], { name: { type: 'string', enum: [...ANNOTATION_NAMES] }, args: { type: 'array', items: { type: ['string', 'number'] } } }),
    },
  }),
  DatasetMetas: {
    type: 'object',
    description: 'The v1 metas of a dataset: the keys below, and any other the publisher gave.',
    required: ['title', 'timezone'],
    properties: {
      title: { type: 'string' },
      description: str('HTML'),
      publisher: { type: 'string' },
      license: { type: 'string' },
      language: { type: 'string' },
      theme: { type: ['string', 'array'], items: { type: 'string' } },
      keyword: { type: ['string', 'array'], items: { type: 'string' } },
      modified: { type: 'string', format: 'date-time' },
      references: { type: 'string' },
      timezone: { type: 'string' },
      records_count: { type: 'integer', minimum: 0 },
    },
    additionalProperties: true,
  },
  Attachment: closed(['id', 'title', 'mimetype', 'url'], {
    id: { type: 'string' },
    title: { type: 'string' },
    mimetype: { type: 'string' },
    url: { type: 'string' },
    description: { type: 'string' },
  }),
  Dataset: closed(
    ['datasetid', 'metas', 'has_records', 'data_visible', 'features', 'attachments', 'alternative_exports', 'fields', 'billing_plans'],
    {
      datasetid: { type: 'string', pattern: DATASET_ID_PATTERN.source },
      metas: schemaRef('DatasetMetas'),
      has_records: { type: 'boolean' },
      data_visible: { type: 'boolean' },
      features: { type: 'array', items: { type: 'string' }, description: 'analyze, geo, timeserie, image...' },
      attachments: { type: 'array', items: schemaRef('Attachment') },
      alternative_exports: { type: 'array', items: schemaRef('Attachment') },
      fields: { type: 'array', items: schemaRef('Field') },
      billing_plans: { type: 'array', maxItems: 0 },
      extra_metas: { type: 'object', description: 'With extrametas=true', required: ['visualization'], properties: { visualization: { type: 'object', description: 'Map and chart settings (always present)' } } },
      interop_metas: { type: 'object', description: 'With interopmetas=true' },
    },
  ),
  CatalogSearchResponse: closed(['nhits', 'parameters', 'datasets'], {
    nhits: int('How many datasets the caller may see match', { minimum: 0 }),
    parameters: schemaRef('SearchParameters'),
    datasets: { type: 'array', items: schemaRef('Dataset') },
    facet_groups: { type: 'array', items: schemaRef('FacetGroup') },
  }),
  AnalyzeRow: {
    type: 'object',
    description:
      'One x value and its series: `x` is the value (one field), an object of date parts ({"year": 2020, "month": 3}) or an ' +
      'object by field (several fields); absent without x. Each serie is a number, null (AVG, MIN, MAX, STDDEV of an empty ' +
      'bucket) or, for QUANTILES, an object keyed by percentile ("50.0").',
    properties: { x: { type: ['string', 'number', 'object'] } },
    additionalProperties: { type: ['number', 'null', 'object'] },
  },
  AnalyzeResponse: {
    oneOf: [
      { type: 'array', items: schemaRef('AnalyzeRow') },
      closed(['results', 'aggregations'], {
        results: { type: 'array', items: schemaRef('AnalyzeRow') },
        aggregations: {
          type: 'object',
          description: 'With agg.<name>.*: by name, the requested functions (min, max, avg, sum, count) over the rows',
          additionalProperties: { type: 'object' },
        },
      }),
    ],
  },
  Range: closed(['min', 'max'], { min: { type: ['number', 'null'] }, max: { type: ['number', 'null'] } }),
  Cluster: closed(['cluster_center', 'count'], {
    cluster_center: { type: 'array', description: '[lat, lon] of the cluster\'s centroid', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    count: int('Records in the cluster', { minimum: 1 }),
    series: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
    cluster: schemaRef('Geometry'),
  }),
  GeoclusterResponse: closed(['clusters', 'count', 'clusterprecision'], {
    clusters: { type: 'array', items: schemaRef('Cluster') },
    count: schemaRef('Range'),
    series: { type: 'object', additionalProperties: schemaRef('Range') },
    clusterprecision: int('The zoom level the clusters were computed for'),
  }),
  GeopreviewResponse: {
    type: 'array',
    items: closed(['geometry'], {
      geometry: schemaRef('Geometry'),
      geo_digest: str('The shape\'s digest: send it back as geo_digest to find its records (shapes only)'),
    }),
  },
  GeopolygonResponse: closed(['clusters', 'count', 'clusterprecision'], {
    clusters: {
      type: 'array',
      items: closed(['cluster', 'count'], {
        cluster: schemaRef('Geometry'),
        count: int('Records of the group', { minimum: 0 }),
        series: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
        geo_digest: str('The shape\'s digest (shapes only)'),
      }),
    },
    count: schemaRef('Range'),
    series: { type: 'object', additionalProperties: schemaRef('Range') },
    clusterprecision: int('The zoom level the shapes were simplified for'),
  }),
  BoundingBoxResponse: closed(['count', 'bbox', 'geometries'], {
    count: int('Records with a geometry', { minimum: 0 }),
    bbox: {
      type: 'array',
      description: '[minLon, minLat, maxLon, maxLat], empty when no record matches',
      items: { type: 'number' },
      anyOf: [{ maxItems: 0 }, { minItems: 4, maxItems: 4 }],
    },
    geometries: { type: 'object', description: 'Records by GeoJSON geometry type', additionalProperties: { type: 'integer' } },
  }),
  PushOk: closed(['status'], { status: { const: 'OK' } }),

  Health: closed(['status'], { status: { const: 'ok' } }),
  Readiness: closed(['status', 'opensearch', 'redis'], {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    opensearch: { type: 'string', enum: ['up', 'down'] },
    redis: { type: 'string', enum: ['up', 'down', 'not configured (in-process store)'] },
  }),

  TokenResponse: closed(['access_token', 'token_type', 'expires_in'], {
    access_token: { type: 'string' },
    token_type: { const: 'Bearer' },
    expires_in: int('Seconds'),
    refresh_token: str('Single-use: each refresh returns a new one'),
    scope: { type: 'string' },
  }),
  AuthorizationServerMetadata: {
    type: 'object',
    description: 'RFC 8414 metadata (the issuer is PUBLIC_URL).',
    required: ['issuer', 'authorization_endpoint', 'token_endpoint'],
    properties: {
      issuer: { type: 'string', format: 'uri' },
      authorization_endpoint: { type: 'string', format: 'uri' },
      token_endpoint: { type: 'string', format: 'uri' },
      revocation_endpoint: { type: 'string', format: 'uri' },
      response_types_supported: { type: 'array', items: { type: 'string' } },
      response_modes_supported: { type: 'array', items: { type: 'string' } },
      grant_types_supported: { type: 'array', items: { type: 'string' } },
      token_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
      revocation_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
      code_challenge_methods_supported: { type: 'array', items: { type: 'string' } },
      scopes_supported: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  },

  User: closed(['username', 'groups', 'attributes', 'admin', 'has_password', 'created_at'], {
    username: { type: 'string' },
    groups: { type: 'array', items: { type: 'string' } },
    attributes: { type: 'object' },
    admin: { type: 'boolean' },
    has_password: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
  }),
  UserInput: {
    type: 'object',
    properties: {
      username: { type: 'string' },
      password: { type: 'string', writeOnly: true },
      groups: { type: 'array', items: { type: 'string' } },
      attributes: { type: 'object' },
      admin: { type: 'boolean' },
    },
  },
  Group: closed(['name', 'attributes', 'created_at'], {
    name: { type: 'string' },
    attributes: { type: 'object' },
    created_at: { type: 'string', format: 'date-time' },
  }),
  ApiKey: closed(['key_id', 'username', 'created_at'], {
    key_id: { type: 'string' },
    username: { type: 'string' },
    label: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  }),
  NewApiKey: closed(['key', 'key_id', 'username', 'created_at'], {
    key: str('The API key itself: in this answer only'),
    key_id: { type: 'string' },
    username: { type: 'string' },
    label: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  }),
  OAuthClient: closed(['client_id', 'name', 'type', 'redirect_uris', 'created_at'], {
    client_id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string', enum: ['public', 'confidential'] },
    redirect_uris: { type: 'array', items: { type: 'string' } },
    created_at: { type: 'string', format: 'date-time' },
    client_secret: str('Confidential clients, in the answer that registers them only'),
  }),
  AccessRule: closed(['dataset', 'subject', 'hidden_fields', 'updated_at'], {
    dataset: { type: 'string' },
    subject: str('user:<name>, group:<name> or anonymous'),
    record_filter: str('A q expression every search of the subject is ANDed with'),
    hidden_fields: { type: 'array', items: { type: 'string' } },
    updated_at: { type: 'string', format: 'date-time' },
  }),
  PushKey: closed(['key_id', 'dataset', 'resource', 'created_at'], {
    key_id: { type: 'string' },
    dataset: { type: 'string' },
    resource: { type: 'string' },
    label: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    key: str('The push key itself: in the answer that creates it only'),
  }),
  PushDatasetState: closed(['dataset', 'push_enabled'], {
    dataset: { type: 'string' },
    push_enabled: { type: 'boolean' },
    updated_at: { type: 'string', format: 'date-time' },
  }),
  QuotaUsage: closed(['identity', 'day', 'used', 'limit', 'remaining', 'reset_time', 'override'], {
    identity: str('user:<id> or ip:<address>'),
    day: { type: 'string', format: 'date' },
    used: { type: 'integer' },
    limit: { type: 'integer' },
    remaining: { type: 'integer' },
    reset_time: { type: 'string', format: 'date-time' },
    override: { type: ['integer', 'null'] },
  }),
  QuotaTop: closed(['day', 'top'], {
    day: { type: 'string', format: 'date' },
    top: { type: 'array', items: closed(['identity', 'calls'], { identity: { type: 'string' }, calls: { type: 'integer' } }) },
  }),
  QuotaDomain: closed(['day', 'used', 'limit'], {
    day: { type: 'string', format: 'date' },
    used: { type: 'integer' },
    limit: { type: ['integer', 'null'] },
  }),
  QuotaOverride: closed(['identity', 'limit'], { identity: { type: 'string' }, limit: { type: ['integer', 'null'] } }),
};
