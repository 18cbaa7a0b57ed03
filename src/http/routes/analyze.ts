/**
 * Analyze `GET|POST /api/records/1.0/analyze` (alias `/api/datasets/1.0/<id>/records/analyze`)
 * (v1-api-facts.md §9, client-compat.md §2.4; decisions in docs/analyze-geocluster-download.md).
 *
 * Parameters are read and checked against the caller's view of the dataset before any search; the
 * composite aggregation is paged to the end (or to maxpoints when its order is the answer's), then
 * the pure shaper folds, sorts and caps.
 *
 * Also exports what the geocluster and download routes share: the dataset, the caller's access and
 * the filtering query of a request.
 */
import { Router, type Request, type Response } from 'express';
import { recordFilterClauses, resolveAccess, withMandatoryFilters } from '../../auth/access';
import { principalOf, quotaIdentity } from '../../auth/principal';
import type { CompilePolicy } from '../../analyze/expression';
import { rethrowScriptFailure } from './script-failure';
import type { ScriptBudget } from '../../protection';
import type { DatasetDescriptor } from '../../datasets/descriptor';
import type { DatasetRegistry } from '../../datasets/registry';
import { badParameter, missingParameter } from '../../errors';
import type { Backend } from '../../opensearch/backend';
import type { QuerySchema } from '../../query/resolve-field';
import type { Clause } from '../../search/facets/facet-kind';
import { csvSeparatorParam } from '../../responses/formats/csv';
import { analyzeCsv } from '../../analyze/analyze-csv';
import { planAnalyze } from '../../analyze/analyze-plan';
import { collectBuckets } from '../../analyze/collect-buckets';
import { recordsFilterQuery, schemaOf } from '../../analyze/records-filter';
import { shapeAnalyze } from '../../analyze/shape-analyze';
import { paramsOf } from '../context';
import type { RequestParams } from '../params/request-params';
import { datasetIdParam } from '../params/dataset-id';
import { timezoneParam } from '../params/timezone';
import { jsonOutput, sendJson } from '../respond';

export const DEFAULT_ANALYZE_MAX_BUCKETS = 100000;
/** Composite buckets per page: well under search.max_buckets (65 535) whatever the series. */
export const ANALYZE_PAGE_SIZE = 5000;

export interface AnalyzeRoutesDeps {
  registry: DatasetRegistry;
  backend: Backend;
  /** ANALYZE_MAX_BUCKETS. */
  maxBuckets?: number;
  /** New expression shapes each caller may have compiled (else they are interpreted); default: no bound. */
  scripts?: ScriptBudget;
  clock?: () => Date;
}

/** The compile policy of the request's caller (src/protection/script-budget.ts). */
export function compilePolicyOf(req: Request, scripts: ScriptBudget | undefined): CompilePolicy | undefined {
  return scripts?.policyFor(quotaIdentity(principalOf(req)));
}

/** The dataset of a record endpoint: the path id on alias routes, else `dataset` (one id). */
export function datasetIdOf(req: Request, params: RequestParams): string {
  if (req.params.datasetid !== undefined) return datasetIdParam(String(req.params.datasetid), 'dataset');
  const ids = [...new Set(params.getAll('dataset').map((s) => s.trim()))];
  if (ids.length === 0 || ids[0] === undefined) throw missingParameter('dataset', 'a dataset id');
  if (ids.length > 1) throw badParameter('dataset', 'only one dataset at a time');
  return datasetIdParam(ids[0], 'dataset');
}

export interface FilteredDataset {
  id: string;
  /** The id as the client named it (`id@domain` kept): what records carry as datasetid. */
  asked: string;
  /** The caller's view of the dataset (hidden fields removed). */
  descriptor: DatasetDescriptor;
  schema: QuerySchema;
  /** q, refine/exclude, geofilters and the caller's record filters, as one query. */
  query: Clause;
}

/** Dataset, permissions (401/404, hidden fields, record filters) and the filtering query of a request. */
export async function filteredDataset(
  req: Request,
  params: RequestParams,
  deps: { registry: DatasetRegistry },
  timezone: string,
  now: Date,
  options: { bboxOn?: 'point' | 'shape' } = {},
): Promise<FilteredDataset> {
  const id = datasetIdOf(req, params);
  const access = await resolveAccess(req, await deps.registry.get(id));
  const descriptor = access.descriptor;
  const query = recordsFilterQuery(params, descriptor, { timezone, now, hidden: access.hidden, attributes: access.attributes, ...options });
  const mandatory = withMandatoryFilters({ query }, recordFilterClauses(access, now));
  const asked = req.params.datasetid !== undefined ? id : (params.get('dataset')?.trim() ?? id);
  return { id, asked, descriptor, schema: schemaOf(descriptor, access.hidden), query: mandatory.query as Clause };
}

const FORMATS = ['json', 'jsonp', 'csv'] as const;

export function analyzeRoutes(deps: AnalyzeRoutesDeps): Router {
  const router = Router();
  const clock = deps.clock ?? (() => new Date());
  const maxBuckets = deps.maxBuckets ?? DEFAULT_ANALYZE_MAX_BUCKETS;

  const analyze = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const format = params.oneOf('format', FORMATS, 'json');
    const out = format === 'csv' ? undefined : jsonOutput(params, format);
    const separator = csvSeparatorParam(params.get('csv_separator'));
    const timezone = timezoneParam(params);
    const outputTimezone = timezoneParam(params, 'output_timezone', timezone);
    const target = await filteredDataset(req, params, deps, timezone, clock());
    const mayCompile = compilePolicyOf(req, deps.scripts);
    const plan = planAnalyze(params, target.schema, { timezone, outputTimezone, ...(mayCompile ? { mayCompile } : {}) });
    const search = (body: Record<string, unknown>) => deps.backend.searchRecords(target.id, body).catch((e: unknown) => rethrowScriptFailure(e, plan.series));
    const collected = await collectBuckets(plan, target.query, search, { maxBuckets, pageSize: ANALYZE_PAGE_SIZE });
    const result = shapeAnalyze(plan, collected);
    if (out) return sendJson(res, result.body, out);
    res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${target.id}-analyze.csv"`);
    res.send(analyzeCsv(plan, result.rows, separator));
  };

  router.get('/api/records/1.0/analyze', analyze);
  router.post('/api/records/1.0/analyze', analyze);
  router.get('/api/datasets/1.0/:datasetid/records/analyze', analyze);
  router.post('/api/datasets/1.0/:datasetid/records/analyze', analyze);
  return router;
}
