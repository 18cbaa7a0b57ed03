/**
 * The Opendatasoft Search API v1 paths: catalog, datasets, records (search, lookup, analyze,
 * geocluster, boundingbox, download), multimedia and push. Paths are written without the trailing
 * slash v1 clients send: the gateway serves both.
 */
import { COMMON_API_ERRORS, RATE_LIMIT_HEADERS, headerRef, responseRef } from './components';
import { CSV, JSONP, jsonContent, ok, v1Endpoint } from './operations';
import { paramRef } from './parameters';
import { schemaRef } from './schemas';
import type { MediaType, Operation, PathItem, Ref, Response } from './types';

const FILTERS = ['q', 'qNamed', 'refine', 'exclude', 'disjunctive', 'geofilterDistance', 'geofilterPolygon', 'geofilterBbox', 'geoDigest', 'timezone'];
const OUTPUT = ['callback', 'prettyPrint'];
const RECORD_SEARCH = [...FILTERS, 'facet', 'facetsort', 'fields', 'sort', 'rows', 'start', 'formatRecords', 'csvSeparator', 'lang', ...OUTPUT];
const ANALYZE = [...FILTERS, 'x', 'precision', 'periodic', 'series', 'postAggregations', 'analyzeSort', 'maxpoints', 'outputTimezone', 'formatAnalyze', 'csvSeparator', ...OUTPUT];
const GEOCLUSTER = [...FILTERS, 'clusterprecision', 'clusterdistance', 'shapeprecision', 'clustermode', 'returnPolygons', 'series', 'formatJson', ...OUTPUT];
const BOUNDINGBOX = [...FILTERS, 'formatJson', ...OUTPUT];
const GEOPREVIEW = [...FILTERS, 'clusterprecision', 'previewRows', 'geoField', 'formatJson', ...OUTPUT];
const GEOPOLYGON = [...FILTERS, 'clusterprecision', 'geoField', 'series', 'formatJson', ...OUTPUT];
const DOWNLOAD = [...FILTERS, 'formatDownload', 'fields', 'sort', 'downloadRows', 'csvSeparator', 'useLabels', 'geoSimplify', 'geoSimplifyZoom', 'callback'];

const RECORDS = 'Records';
const CATALOG = 'Catalog';
const ANALYSIS = 'Analyze and maps';
const EXPORT = 'Download';
const FILES = 'Files';
const PUSH = 'Push';

const FEEDS: Record<string, MediaType> = {
  'application/rss+xml': { schema: { type: 'string', description: 'format=rss' } },
  'application/atom+xml': { schema: { type: 'string', description: 'format=atom' } },
};

const RECORD_SEARCH_OK = ok('The matching records (format=json), or the same page as GeoJSON, JSONP, CSV, RSS or Atom.', {
  'application/json': { schema: { oneOf: [schemaRef('RecordsSearchResponse'), schemaRef('FeatureCollection')] } },
  ...JSONP,
  ...CSV,
  ...FEEDS,
});

const recordSearchDescription =
  'Search the records of one dataset: full-text and the v1 query language (`q`), facets with refine/exclude, geographic ' +
  'filters, sort and paging (start + rows ≤ 10000; the download API has no limit). Facet groups come with the hits when ' +
  '`facet` is given and there are hits. Restricted datasets need credentials; hidden fields behave as unknown ones.';

const analyzeDescription =
  'Aggregate the filtered records: group by the x fields or date parts, compute the series (COUNT, AVG, SUM, MIN, MAX, ' +
  'STDDEV, SUMSQUARES, QUANTILES) of fields or expressions. Exact (paged to the end); past ANALYZE_MAX_BUCKETS the answer is ' +
  'a 400 naming the setting, never a truncated result.';

const geoclusterDescription =
  'Cluster the filtered records\' points for a map at a zoom level: clusters of records within clusterdistance pixels, with ' +
  'their centroid, count, envelope and series. Past GEOCLUSTER_MAX_CELLS cells: 400 (send a geofilter.bbox of the view).';

const downloadDescription =
  'Every filtered record, streamed (no 10000 limit; memory bounded): CSV (default), JSON (an array of records), GeoJSON ' +
  '(a FeatureCollection) or their JSONP twins. Sent as an attachment named after the dataset.';

const ANALYZE_OK = ok('The rows (JSON), or CSV with one column per x part and per serie.', { ...jsonContent('AnalyzeResponse'), ...JSONP, ...CSV });
const GEOCLUSTER_OK = ok('The clusters.', { ...jsonContent('GeoclusterResponse'), ...JSONP });
const geopreviewDescription =
  'The distinct shapes of the filtered records, simplified to one pixel of the zoom (not in the v1 documentation; ods-map\'s ' +
  'auto display mode on a shape dataset calls it). Each shape comes with its `geo_digest`, which the record endpoints accept ' +
  'as a filter. On a point dataset (or geo_field naming a point field): one Point per record, without digest.';

const geopolygonDescription =
  'The filtered records grouped by shape (or by location for a point field), each group with its count, its series and ' +
  'its simplified shape (not in the v1 documentation; ods-map\'s aggregation and choropleth layers call it). Past ' +
  'GEOCLUSTER_MAX_CELLS groups: 400.';

const GEOPREVIEW_OK = ok('The shapes.', { ...jsonContent('GeopreviewResponse'), ...JSONP });
const GEOPOLYGON_OK = ok('The groups.', { ...jsonContent('GeopolygonResponse'), ...JSONP });
const BOUNDINGBOX_OK = ok('The bounding box of the filtered records\' geometries.', { ...jsonContent('BoundingBoxResponse'), ...JSONP });
const DOWNLOAD_OK = ok('The records, streamed.', {
  ...CSV,
  'application/json': { schema: { oneOf: [{ type: 'array', items: schemaRef('Record') }, schemaRef('FeatureCollection')] } },
  ...JSONP,
});

/** The same endpoint under `/api/records/1.0/<name>` (dataset parameter) and `/api/datasets/1.0/<id>/records/<name>`. */
function recordEndpoint(
  name: string,
  spec: { operationId: string; summary: string; description: string; tag: string; params: string[]; responses: Record<string, Response | Ref> },
): Record<string, PathItem> {
  const capital = spec.operationId.charAt(0).toUpperCase() + spec.operationId.slice(1);
  return {
    [`/api/records/1.0/${name}`]: v1Endpoint({ ...spec, params: ['dataset', ...spec.params] }),
    [`/api/datasets/1.0/{datasetid}/records/${name}`]: v1Endpoint({
      ...spec,
      operationId: `dataset${capital}`,
      summary: `${spec.summary} (dataset in the path)`,
      params: ['datasetid', ...spec.params],
    }),
  };
}

const file = (disposition: string): Response => ({
  description: `The bytes, with Content-Type, Content-Length, ETag and Content-Disposition (${disposition}).`,
  headers: RATE_LIMIT_HEADERS,
  content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream', description: 'Served with the file\'s own media type' } } },
});

/** The success answers of the v1 endpoints (components.responses: each is shared by several operations). */
export const V1_RESPONSES: Record<string, Response> = {
  RecordSearch: RECORD_SEARCH_OK,
  Analyze: ANALYZE_OK,
  Geocluster: GEOCLUSTER_OK,
  BoundingBox: BOUNDINGBOX_OK,
  Geopreview: GEOPREVIEW_OK,
  Geopolygon: GEOPOLYGON_OK,
  Download: DOWNLOAD_OK,
  FileInline: file('inline'),
  FileAttachment: file('attachment'),
  NotModified: { description: 'Not modified (If-None-Match matched the ETag).' },
};

const fileResponses = (disposition: 'inline' | 'attachment'): Record<string, Response | Ref> => ({
  '200': responseRef(disposition === 'inline' ? 'FileInline' : 'FileAttachment'),
  '304': responseRef('NotModified'),
});

function multimedia(path: string, operationId: string, summary: string, params: string[], responses: Record<string, Response | Ref>, description: string): Record<string, PathItem> {
  return { [path]: v1Endpoint({ operationId, summary, description, tag: FILES, params, responses }) };
}

function pushOperation(operationId: string, summary: string, description: string, params: string[], body: boolean): Operation {
  return {
    operationId,
    summary,
    description,
    tags: [PUSH],
    parameters: params.map(paramRef),
    ...(body
      ? {
          requestBody: {
            required: true,
            description: 'A record (an object of field values) or an array of records, as JSON whatever the Content-Type (at most PUSH_MAX_BODY_BYTES, 5 MB).',
            content: { 'application/json': { schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } } },
          },
        }
      : {}),
    security: [{ pushKey: [] }],
    responses: {
      '200': ok('Done: every record stored or deleted, and the operation durable in the replicated push log.', jsonContent('PushOk')),
      ...COMMON_API_ERRORS,
      // The push key is checked, and the body read, before the quota: these two answers are not counted.
      '401': { description: 'The push key is missing or not valid for this dataset resource (10401); checked before the body is read, not counted.', headers: { 'X-Request-Id': headerRef('X-Request-Id') }, content: jsonContent('Error') },
      '403': { description: 'Push is disabled for this dataset (10403).', headers: RATE_LIMIT_HEADERS, content: jsonContent('Error') },
      '413': { description: 'The body is larger than PUSH_MAX_BODY_BYTES (10413); not counted.', headers: { 'X-Request-Id': headerRef('X-Request-Id') }, content: jsonContent('Error') },
    },
  };
}

export const V1_PATHS: Record<string, PathItem> = {
  '/api/datasets/1.0/search': v1Endpoint({
    operationId: 'searchCatalog',
    summary: 'Search the catalog',
    description:
      'Search the datasets the caller may see: q over the metas (title, description, publisher, theme, keyword, records_count, ' +
      'modified...), the catalog facets, sort and paging (clients send rows=1000000 to list everything: rows is clamped).',
    tag: CATALOG,
    params: ['q', 'qNamed', 'catalogFacet', 'refine', 'exclude', 'disjunctive', 'facetsort', 'catalogSort', 'catalogRows', 'start', 'extrametas', 'interopmetas', 'timezone', 'formatCatalog', 'csvSeparator', 'lang', ...OUTPUT],
    responses: { '200': ok('The matching datasets (or CSV, RSS, JSONP).', { ...jsonContent('CatalogSearchResponse'), ...JSONP, ...CSV, 'application/rss+xml': { schema: { type: 'string' } } }) },
  }),
  '/api/datasets/1.0/{datasetid}': v1Endpoint({
    operationId: 'getDataset',
    summary: 'Look up a dataset',
    description: 'The dataset object: metas, fields (with annotations), features, attachments. 404 for a dataset the caller may not see.',
    tag: CATALOG,
    params: ['datasetid', 'extrametas', 'interopmetas', 'formatJson', ...OUTPUT],
    responses: { '200': ok('The dataset.', { ...jsonContent('Dataset'), ...JSONP }) },
  }),
  '/api/records/1.0/search': v1Endpoint({
    operationId: 'searchRecords',
    summary: 'Search records',
    description: recordSearchDescription,
    tag: RECORDS,
    params: ['dataset', ...RECORD_SEARCH],
    responses: { '200': responseRef('RecordSearch') },
  }),
  '/api/datasets/1.0/{datasetid}/records': v1Endpoint({
    operationId: 'searchDatasetRecords',
    summary: 'Search records (dataset in the path)',
    description: recordSearchDescription,
    tag: RECORDS,
    params: ['datasetid', ...RECORD_SEARCH],
    responses: { '200': responseRef('RecordSearch') },
  }),
  '/api/datasets/1.0/{datasetid}/records/{recordid}': v1Endpoint({
    operationId: 'getRecord',
    summary: 'Look up a record',
    description: 'One record by id (404, errorcode 10405, when unknown or outside what the caller may see).',
    tag: RECORDS,
    params: ['datasetid', 'recordid', 'timezone', 'formatJson', ...OUTPUT],
    responses: { '200': ok('The record.', { ...jsonContent('Record'), ...JSONP }) },
  }),
  ...recordEndpoint('analyze', { operationId: 'analyzeRecords', summary: 'Analyze records', description: analyzeDescription, tag: ANALYSIS, params: ANALYZE, responses: { '200': responseRef('Analyze') } }),
  ...recordEndpoint('geocluster', { operationId: 'geoclusterRecords', summary: 'Cluster records for a map', description: geoclusterDescription, tag: ANALYSIS, params: GEOCLUSTER, responses: { '200': responseRef('Geocluster') } }),
  ...recordEndpoint('boundingbox', {
    operationId: 'boundingboxRecords',
    summary: 'Bounding box of records',
    description: 'The box around the filtered records\' shapes (or points), their count and geometry types (not in the v1 documentation; ods-map calls it).',
    tag: ANALYSIS,
    params: BOUNDINGBOX,
    responses: { '200': responseRef('BoundingBox') },
  }),
  ...recordEndpoint('geopreview', { operationId: 'geopreviewRecords', summary: 'Shapes of records for a map', description: geopreviewDescription, tag: ANALYSIS, params: GEOPREVIEW, responses: { '200': responseRef('Geopreview') } }),
  ...recordEndpoint('geopolygon', { operationId: 'geopolygonRecords', summary: 'Records grouped by shape for a map', description: geopolygonDescription, tag: ANALYSIS, params: GEOPOLYGON, responses: { '200': responseRef('Geopolygon') } }),
  ...recordEndpoint('download', { operationId: 'downloadRecords', summary: 'Download records', description: downloadDescription, tag: EXPORT, params: DOWNLOAD, responses: { '200': responseRef('Download') } }),
  '/explore/dataset/{datasetid}/download': v1Endpoint({
    operationId: 'exploreDownload',
    summary: 'Download records (portal URL)',
    description: `${downloadDescription} The portal form of the download URL.`,
    tag: EXPORT,
    params: ['datasetid', ...DOWNLOAD],
    responses: { '200': responseRef('Download') },
  }),

  ...multimedia(
    '/api/datasets/1.0/{datasetid}/attachments/{itemid}',
    'getAttachment',
    'Download an attachment',
    ['datasetid', 'itemid'],
    { ...fileResponses('attachment'), '302': { description: 'An attachment published as a link: its URL in Location.', headers: { Location: { description: 'The link', schema: { type: 'string' } } } } },
    'An attachment of the dataset (listed in `attachments` of the dataset object).',
  ),
  ...multimedia(
    '/api/datasets/1.0/{datasetid}/alternative_exports/{itemid}',
    'getAlternativeExport',
    'Download an alternative export',
    ['datasetid', 'itemid'],
    { ...fileResponses('attachment'), '302': { description: 'An export published as a link: its URL in Location.', headers: { Location: { description: 'The link', schema: { type: 'string' } } } } },
    'An alternative export of the dataset (listed in `alternative_exports`).',
  ),
  ...Object.assign(
    {},
    ...(['files', 'images'] as const).flatMap((kind) => {
      const legacy = kind === 'images' ? ' (legacy image fields: the same as files)' : '';
      const cap = kind === 'files' ? 'File' : 'Image';
      return [
        multimedia(`/api/datasets/1.0/{datasetid}/${kind}/{fileid}`, `get${cap}`, `Download a record file${legacy}`, ['datasetid', 'fileid'], fileResponses('inline'), 'A file of a record\'s file field, as stored.'),
        multimedia(
          `/api/datasets/1.0/{datasetid}/${kind}/{fileid}/{size}`,
          `get${cap}Thumbnail`,
          `Thumbnail of a record image${legacy}`,
          ['datasetid', 'fileid', 'size'],
          fileResponses('inline'),
          'The image scaled so that its longer side is at most size pixels (made once, then cached). 404 when the file is not an image.',
        ),
        multimedia(`/explore/dataset/{datasetid}/${kind}/{fileid}/download`, `explore${cap}Download`, `Download a record file (portal URL)${legacy}`, ['datasetid', 'fileid'], fileResponses('attachment'), 'The original, as an attachment.'),
        multimedia(`/explore/dataset/{datasetid}/${kind}/{fileid}/{size}`, `explore${cap}Thumbnail`, `Thumbnail of a record image (portal URL)${legacy}`, ['datasetid', 'fileid', 'size'], fileResponses('inline'), 'As the API thumbnail.'),
      ];
    }),
  ),

  '/api/push/1.0/{datasetid}/{resource}/push': {
    post: pushOperation('pushRecords', 'Push records', 'Add or replace records in real time (all or nothing: a 400 lists every invalid record with its position and field).', ['datasetid', 'resource', 'pushkey'], true),
  },
  '/api/push/1.0/{datasetid}/{resource}/delete': {
    post: pushOperation('deletePushedByValues', 'Delete records by values', 'Delete the records whose values are those given (the same records as pushed).', ['datasetid', 'resource', 'pushkey'], true),
  },
  '/api/push/1.0/{datasetid}/{resource}/{recordid}/delete': {
    get: pushOperation('deletePushedRecord', 'Delete a record by id', 'Delete one record by its id.', ['datasetid', 'resource', 'pushRecordid', 'pushkey'], false),
    post: pushOperation('deletePushedRecordPost', 'Delete a record by id (POST)', 'Delete one record by its id.', ['datasetid', 'resource', 'pushRecordid', 'pushkey'], false),
  },
};

