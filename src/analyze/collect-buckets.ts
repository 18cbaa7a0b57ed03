/**
 * Runs an analyze plan: pages through the composite aggregation (or runs the single no-x search)
 * through the `search` function it is given (the Backend in production, a fake in tests).
 *
 * Results are exact or refused: past `maxBuckets` composite buckets the request answers 400 naming
 * the setting (ANALYZE_MAX_BUCKETS), never a silent truncation. When the composite order is the
 * requested order (plan.native) and maxpoints is set, paging stops after maxpoints buckets: those
 * are the exact answer.
 */
import { GatewayError } from '../errors';
import type { Clause } from '../search/facets/facet-kind';
import type { AnalyzePlan } from './analyze-plan';
import { analyzeBody, COMPOSITE_AGG } from './build-analyze-body';

export type SearchFn = (body: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface CollectLimits {
  /** Most composite buckets read for one request (the setting ANALYZE_MAX_BUCKETS). */
  maxBuckets: number;
  /** Buckets per composite page. */
  pageSize: number;
}

export interface RawBucket {
  key: Record<string, unknown>;
  doc_count: number;
  [agg: string]: unknown;
}

export interface Collected {
  buckets: RawBucket[];
  /** No x: the aggregations of the whole set, and its hit count. */
  total?: { count: number; aggregations: Record<string, unknown> };
}

function totalHits(res: Record<string, unknown>): number {
  const total = (res.hits as { total?: number | { value?: number } } | undefined)?.total;
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

export function tooManyBuckets(maxBuckets: number): GatewayError {
  return new GatewayError(
    'bad_parameter',
    `The analysis has more than ${maxBuckets} x values (the gateway's ANALYZE_MAX_BUCKETS setting); narrow it with q, refine or a geofilter, a coarser precision, or fewer x fields`,
    { extra: { limit: 'ANALYZE_MAX_BUCKETS', max: maxBuckets } },
  );
}

export async function collectBuckets(plan: AnalyzePlan, query: Clause, search: SearchFn, limits: CollectLimits): Promise<Collected> {
  if (plan.dimensions.length === 0) {
    const res = await search(analyzeBody(plan, query, { size: 0 }));
    return { buckets: [], total: { count: totalHits(res), aggregations: (res.aggregations ?? {}) as Record<string, unknown> } };
  }
  const stopAt = plan.native && plan.maxpoints > 0 ? plan.maxpoints : Infinity;
  const buckets: RawBucket[] = [];
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const size = Math.max(1, Math.min(limits.pageSize, stopAt - buckets.length, limits.maxBuckets - buckets.length + 1));
    const res = await search(analyzeBody(plan, query, after ? { size, after } : { size }));
    const agg = (res.aggregations as Record<string, { buckets?: RawBucket[]; after_key?: Record<string, unknown> }> | undefined)?.[COMPOSITE_AGG];
    const page = agg?.buckets ?? [];
    buckets.push(...page);
    if (buckets.length > limits.maxBuckets) throw tooManyBuckets(limits.maxBuckets);
    if (buckets.length >= stopAt) return { buckets: buckets.slice(0, stopAt) };
    if (page.length < size || !agg?.after_key) return { buckets };
    after = agg.after_key;
  }
}
