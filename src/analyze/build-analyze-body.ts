/**
 * An analyze plan → the OpenSearch `_search` bodies (docs/opensearch-design.md, Analyze):
 * - no x: the series over the whole filtered set, with the total hit count (COUNT);
 * - with x: a `composite` aggregation, one source per dimension (terms on the keyword or number,
 *   date_histogram at the parts' unit in the field's zone), the series under each bucket, paged with
 *   `after` until every bucket is read. The composite never truncates; the gateway sorts, folds and
 *   caps (maxpoints) afterwards.
 */
import type { Clause } from '../search/facets/facet-kind';
import type { AnalyzePlan } from './analyze-plan';
import { seriesAggregations } from './series';
import type { Dimension } from './x-dimensions';

export const COMPOSITE_AGG = 'x';
export const sourceName = (index: number): string => `x${index}`;

function source(d: Dimension, order: 'asc' | 'desc' | undefined): Record<string, unknown> {
  const o = order === 'desc' ? { order: 'desc' } : {};
  if (d.kind === 'value') return { terms: { field: d.path, ...o } };
  return { date_histogram: { field: d.path, calendar_interval: d.unit, time_zone: d.zone, ...o } };
}

export function analyzeBody(plan: AnalyzePlan, query: Clause, page: { size: number; after?: Record<string, unknown> }): Record<string, unknown> {
  const aggs = seriesAggregations(plan.series);
  if (plan.dimensions.length === 0) {
    return { size: 0, track_total_hits: true, query, ...(Object.keys(aggs).length > 0 ? { aggs } : {}) };
  }
  const composite: Record<string, unknown> = {
    size: page.size,
    sources: plan.dimensions.map((d, i) => ({ [sourceName(i)]: source(d, plan.native) })),
  };
  if (page.after) composite.after = page.after;
  return {
    size: 0,
    track_total_hits: false,
    query,
    aggs: { [COMPOSITE_AGG]: { composite, ...(Object.keys(aggs).length > 0 ? { aggs } : {}) } },
  };
}
