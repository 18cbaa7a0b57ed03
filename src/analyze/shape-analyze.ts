/**
 * Composite buckets → the v1 analyze rows (docs/v1-api.md, Analyze):
 *   1. each bucket's x: the key of a value dimension, or the parts of a date bucket's start (in the
 *      output zone); buckets with the same x fold together (counts add, stats merge exactly);
 *   2. rows in ascending x; cumulative series become running sums in that order;
 *   3. the requested sort (stable, so ties stay in ascending x), then maxpoints.
 * A row is `{"x": <value | {parts} | {field: value | {parts}}>, "<serie>": <value>, ...}`; with no x,
 * one row of series.
 */
import type { AnalyzePlan } from './analyze-plan';
import { compareRows, type DimValue, xAscending } from './analyze-sort';
import { sourceName } from './build-analyze-body';
import type { Collected, RawBucket } from './collect-buckets';
import { partsOf } from './date-parts';
import { computePostAggregations } from './post-aggregations';
import { mergeStats, readSerieStats, type SerieStats, type SerieValue, serieValue } from './series';

export interface FoldedRow {
  dims: DimValue[];
  count: number;
  stats: SerieStats[];
}

export function bucketDims(plan: AnalyzePlan, bucket: RawBucket): DimValue[] {
  return plan.dimensions.map((d, i) => {
    const key = bucket.key[sourceName(i)];
    if (d.kind === 'value') return typeof key === 'number' ? key : String(key);
    return partsOf(Number(key), d.outputZone, d.parts);
  });
}

export function foldBuckets(plan: AnalyzePlan, buckets: readonly RawBucket[]): FoldedRow[] {
  const rows = new Map<string, FoldedRow>();
  for (const b of buckets) {
    const dims = bucketDims(plan, b);
    const stats = plan.series.map((s, i) => readSerieStats(s, b, i));
    const id = JSON.stringify(dims);
    const row = rows.get(id);
    if (!row) rows.set(id, { dims, count: b.doc_count, stats });
    else {
      row.count += b.doc_count;
      row.stats = row.stats.map((s, i) => mergeStats(s, stats[i]));
    }
  }
  return [...rows.values()];
}

function xOf(plan: AnalyzePlan, dims: readonly DimValue[]): unknown {
  if (dims.length === 1) return dims[0];
  return Object.fromEntries(plan.dimensions.map((d, i) => [d.name, dims[i]]));
}

function addInto(acc: SerieValue, v: SerieValue): SerieValue {
  if (typeof v === 'number' || v === null) return (typeof acc === 'number' ? acc : 0) + (v ?? 0);
  const prev = typeof acc === 'object' && acc !== null ? acc : {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (prev[k] ?? 0) + (x ?? 0)]));
}

export interface AnalyzeResult {
  /** The rows, or `{results, aggregations}` when agg.* was asked. */
  body: unknown;
  rows: Record<string, unknown>[];
}

export function shapeAnalyze(plan: AnalyzePlan, collected: Collected): AnalyzeResult {
  let rows: { dims: DimValue[]; values: SerieValue[] }[];
  if (collected.total) {
    const aggs = collected.total.aggregations;
    rows = [{ dims: [], values: plan.series.map((s, i) => serieValue(s, collected.total!.count, readSerieStats(s, aggs, i))) }];
  } else {
    rows = foldBuckets(plan, collected.buckets).map((r) => ({
      dims: r.dims,
      values: plan.series.map((s, i) => serieValue(s, r.count, r.stats[i])),
    }));
    rows.sort(compareRows(xAscending(plan.dimensions)));
    plan.series.forEach((s, i) => {
      if (!s.cumulative) return;
      let acc: SerieValue = null;
      for (const r of rows) {
        acc = addInto(acc, r.values[i] ?? null);
        r.values[i] = acc;
      }
    });
    if (plan.sort.length > 0) rows.sort(compareRows(plan.sort));
  }
  if (plan.maxpoints > 0) rows = rows.slice(0, plan.maxpoints);
  const out = rows.map((r) => {
    const o: Record<string, unknown> = plan.dimensions.length > 0 ? { x: xOf(plan, r.dims) } : {};
    plan.series.forEach((s, i) => (o[s.name] = r.values[i] ?? null));
    return o;
  });
  if (plan.postAggregations.length === 0) return { body: out, rows: out };
  return { body: { results: out, aggregations: computePostAggregations(plan.postAggregations, rows.map((r) => r.values)) }, rows: out };
}
