/**
 * Analyze `GET|POST /api/records/1.0/analyze` (alias `/api/datasets/1.0/<id>/records/analyze`)
 * (docs/v1-api.md, Analyze; decisions in docs/analyze-geocluster-download.md).
 *
 * Parameters are read and checked against the caller's view of the dataset before any search; the
 * composite aggregation is paged to the end (or to maxpoints when its order is the answer's), then
 * the pure shaper folds, sorts and caps.

 */
import { Router, type Request, type Response } from 'express';
import { datasetViews } from '../../app/dataset-view';
import type { ScriptBudget } from '../../protection';
import type { DatasetRegistry } from '../../datasets/registry';
import type { Backend } from '../../opensearch/backend';
import { csvSeparatorParam } from '../../responses/formats/csv';
import { analyzeCsv } from '../../analyze/analyze-csv';
import { planAnalyze } from '../../analyze/analyze-plan';
import { collectBuckets } from '../../analyze/collect-buckets';
import { shapeAnalyze } from '../../analyze/shape-analyze';
import { callerOf, datasetRefOf, paramsOf } from '../context';
import { compilePolicyOf, rethrowScriptFailure } from '../script-failure';
import { timezoneParam } from '../params/timezone';
import { jsonOutput, sendJson } from '../respond';

import { SETTINGS } from '../../config';
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

const FORMATS = ['json', 'jsonp', 'csv'] as const;

export function analyzeRoutes(deps: AnalyzeRoutesDeps): Router {
  const router = Router();
  const views = datasetViews(deps);
  const clock = deps.clock ?? (() => new Date());
  const maxBuckets = deps.maxBuckets ?? SETTINGS.analyzeMaxBuckets.default;

  const analyze = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const format = params.oneOf('format', FORMATS, 'json');
    const out = format === 'csv' ? undefined : jsonOutput(params, format);
    const separator = csvSeparatorParam(params.get('csv_separator'));
    const timezone = timezoneParam(params);
    const outputTimezone = timezoneParam(params, 'output_timezone', timezone);
    const target = await views.filtered(callerOf(req), datasetRefOf(req), { params, timezone, now: clock() });
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
