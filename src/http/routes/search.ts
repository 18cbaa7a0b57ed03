/**
 * Record search `GET|POST /api/records/1.0/search` (alias `/api/datasets/1.0/<id>/records`) and
 * catalog search `GET|POST /api/datasets/1.0/search` (docs/v1-api.md: Catalog search, Record search; docs/search.md).
 *
 * Every parameter is checked before the first backend call (start + rows over 10 000 never reaches
 * OpenSearch); then one `_search` builds hits and facets together.
 */
import { Router, type Request, type Response } from 'express';
import { datasetViews, namedDataset } from '../../app/dataset-view';
import { catalogVisibilityFilter, dropInvisibleCatalogHits, recordFilterClauses, withMandatoryFilters } from '../../auth/access';
import { SETTINGS } from '../../config';
import { CATALOG_DESCRIPTOR } from '../../datasets/catalog-descriptor';
import type { DatasetRegistry } from '../../datasets/registry';
import type { Backend } from '../../opensearch/backend';
import { catalogCsv } from '../../responses/formats/catalog-csv';
import { csvSeparatorParam, csvWriter } from '../../responses/formats/csv';
import { atomFeed } from '../../responses/formats/atom';
import { catalogFeedInfo, datasetFeedItem, recordFeedItem, recordsFeedInfo } from '../../responses/formats/feed-items';
import { featureCollectionJson } from '../../responses/formats/geojson';
import { recordJson } from '../../responses/json-writer';
import { rssFeed } from '../../responses/formats/rss';
import { catalogDescriptors, catalogResponse, recordsResponse, recordsResponseJson } from '../../responses/search-response';
import { planSearch } from '../../search/build-search-body';
import { echoParameters } from '../../search/echo-parameters';
import { readSearchRequest } from '../../search/search-request';
import { callerOf, datasetRefOf, paramsOf } from '../context';
import { withoutCredentials } from '../params/without-credentials';
import { timezoneParam } from '../params/timezone';
import { jsonOutput, sendJson, sendJsonText } from '../respond';


export interface SearchRoutesDeps {
  registry: DatasetRegistry;
  backend: Backend;
  /** MAX_FACET_VALUES. */
  maxFacetValues?: number;
  /** PUBLIC_URL, for the links of feeds; else the request's own host. */
  publicUrl?: string;
  /** DOMAIN_ID (metas.domain of the catalog's datasets). */
  domain?: string;
  clock?: () => Date;
}

const RECORD_FORMATS = ['json', 'jsonp', 'geojson', 'geojsonp', 'csv', 'rss', 'atom'] as const;
const CATALOG_FORMATS = ['json', 'jsonp', 'csv', 'rss'] as const;
const JSON_FORMATS: readonly string[] = ['json', 'jsonp', 'geojson', 'geojsonp'];

/** Widgets sort the catalog on popularity metas this gateway does not keep: accepted, ignored. */
const ignoreCatalogSort = (name: string): boolean => name.startsWith('explore.');

function sendText(res: Response, contentType: string, body: string, filename?: string): void {
  res.status(200).setHeader('Content-Type', contentType);
  if (filename) res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.send(body);
}

export function searchRoutes(deps: SearchRoutesDeps): Router {
  const router = Router();
  const views = datasetViews(deps);
  const maxFacetValues = deps.maxFacetValues ?? SETTINGS.maxFacetValues.default;
  const clock = deps.clock ?? (() => new Date());
  const baseUrl = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  const searchRecords = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const format = params.oneOf('format', RECORD_FORMATS, 'json');
    const out = JSON_FORMATS.includes(format) ? jsonOutput(params, format, ['jsonp', 'geojsonp']) : undefined;
    // csv_separator only matters for CSV: with another format it is ignored like any unknown parameter.
    const separator = format === 'csv' ? csvSeparatorParam(params.get('csv_separator')) : ';';
    const timezone = timezoneParam(params);
    const { id, asked: rawId } = namedDataset(datasetRefOf(req));
    const request = readSearchRequest(params, timezone, { overflow: 'reject' });
    // Permissions (docs/security.md): 401/404 for a dataset the caller may not see; `d` is the caller's
    // view (hidden fields removed, and unknown to q, facets, sort and fields); record filters are
    // mandatory `bool.filter` clauses beside the whole query, so facets and nhits obey them too.
    const access = await views.access(callerOf(req), id);
    const d = access.descriptor;
    const plan = planSearch(request, { descriptor: d, hidden: access.hidden, now: clock(), maxFacetValues, target: 'records' });
    const response = await deps.backend.searchRecords(id, withMandatoryFilters(plan.body, recordFilterClauses(access, clock())));
    const geojson = format.startsWith('geojson');
    const body = recordsResponse({
      descriptor: d,
      response,
      parameters: echoParameters(request, { dataset: rawId, format, specs: plan.specs }),
      specs: plan.specs,
      facetContext: plan.facetContext,
      timezone,
      fields: plan.fields,
      distance: plan.distance,
      geometry: geojson ? 'shape' : 'point',
      datasetid: rawId,
    });
    if (out) {
      const json = recordJson(d);
      return sendJsonText(res, geojson ? featureCollectionJson(body.records, json) : recordsResponseJson(body, json), out);
    }
    if (format === 'csv') {
      const writer = csvWriter(d, { separator, ...(plan.fields ? { fields: plan.fields } : {}) });
      return sendText(res, 'text/csv; charset=utf-8', writer.header() + body.records.map(writer.row).join(''), `${id}.csv`);
    }
    const info = recordsFeedInfo(d, baseUrl(req), baseUrl(req) + withoutCredentials(req.originalUrl));
    const items = body.records.map((r) => recordFeedItem(d, r, baseUrl(req)));
    if (format === 'rss') return sendText(res, 'application/rss+xml; charset=utf-8', rssFeed(info, items));
    return sendText(res, 'application/atom+xml; charset=utf-8', atomFeed(info, items, clock()));
  };

  const searchCatalog = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const format = params.oneOf('format', CATALOG_FORMATS, 'json');
    const out = JSON_FORMATS.includes(format) ? jsonOutput(params, format) : undefined;
    const separator = format === 'csv' ? csvSeparatorParam(params.get('csv_separator')) : ';';
    const timezone = timezoneParam(params);
    const request = readSearchRequest(params, timezone, { overflow: 'clamp' });
    const objectOptions = {
      extraMetas: params.bool('extrametas', false),
      interopMetas: params.bool('interopmetas', false),
      ...(deps.domain !== undefined ? { domain: deps.domain } : {}),
    };
    const plan = planSearch(request, {
      descriptor: CATALOG_DESCRIPTOR,
      now: clock(),
      maxFacetValues,
      target: 'catalog',
      ignoreSort: ignoreCatalogSort,
    });
    // Permissions (docs/security.md): only the datasets the caller may see are found and counted.
    const caller = callerOf(req);
    const visibility = catalogVisibilityFilter(caller.principal);
    const response = await deps.backend.searchCatalog(withMandatoryFilters(plan.body, visibility ? [visibility] : []));
    dropInvisibleCatalogHits(caller.principal, response);
    // Each dataset as its lookup shows it to the caller: hidden fields left out, records_count under
    // the caller's record filters.
    const datasets = await views.catalogViews(caller, catalogDescriptors(response), clock());
    const parameters = { ...echoParameters(request, { format, specs: plan.specs }), staged: false };
    if (out) {
      const body = catalogResponse({ response, parameters, specs: plan.specs, facetContext: plan.facetContext, objectOptions, datasets });
      return sendJson(res, body, out);
    }
    if (format === 'csv') return sendText(res, 'text/csv; charset=utf-8', catalogCsv(datasets, { separator, timezone }), 'datasets.csv');
    const info = catalogFeedInfo(baseUrl(req), baseUrl(req) + withoutCredentials(req.originalUrl));
    return sendText(res, 'application/rss+xml; charset=utf-8', rssFeed(info, datasets.map((d) => datasetFeedItem(d, baseUrl(req)))));
  };

  router.get('/api/records/1.0/search', searchRecords);
  router.post('/api/records/1.0/search', searchRecords);
  router.get('/api/datasets/1.0/:datasetid/records', searchRecords);
  router.post('/api/datasets/1.0/:datasetid/records', searchRecords);
  router.get('/api/datasets/1.0/search', searchCatalog);
  router.post('/api/datasets/1.0/search', searchCatalog);
  return router;
}
