/**
 * `agg.<name>.func=MIN,MAX&agg.<name>.expr=<serie>` (undocumented, sent by ods-analysis and the map's
 * aggregation layer; docs/v1-api.md, Analyze): statistics over the returned rows of one serie. With any
 * `agg.*`, the response becomes `{"results": [...], "aggregations": {"<name>": {"min": .., "max": ..}}}`
 * (one key per function, lower-case). For a QUANTILES serie each function applies per percentile
 * key, which is what highcharts.js reads (`aggr.min["50.0"]`).
 */
import { badParameter } from '../errors';
import type { ParamSource } from '../search/search-request';
import type { SerieSpec, SerieValue } from './series';

export const POST_FUNCS = ['MIN', 'MAX', 'AVG', 'SUM', 'COUNT'] as const;
export type PostFunc = (typeof POST_FUNCS)[number];

export interface PostAggregation {
  name: string;
  funcs: PostFunc[];
  /** Index of the serie it reads. */
  serie: number;
}

export function readPostAggregations(params: ParamSource, series: readonly SerieSpec[]): PostAggregation[] {
  const names = new Set<string>();
  for (const key of params.names()) {
    if (!key.startsWith('agg.')) continue;
    const dot = key.lastIndexOf('.');
    if (dot > 4) names.add(key.slice(4, dot));
  }
  return [...names].map((name) => {
    const rawFuncs = params.get(`agg.${name}.func`);
    if (rawFuncs === undefined) throw badParameter(`agg.${name}.func`, `missing: expected one or more of ${POST_FUNCS.join(', ')}`);
    const funcs = rawFuncs.split(',').map((f) => {
      const hit = POST_FUNCS.find((p) => p === f.trim().toUpperCase());
      if (!hit) throw badParameter(`agg.${name}.func`, `expected one or more of ${POST_FUNCS.join(', ')}, got "${f.trim().slice(0, 40)}"`);
      return hit;
    });
    const expr = params.get(`agg.${name}.expr`)?.trim();
    const serie = series.findIndex((s) => s.name === expr);
    if (expr === undefined || serie < 0) {
      throw badParameter(`agg.${name}.expr`, `expected the name of a serie of this request (${series.map((s) => s.name).join(', ') || 'none'})`);
    }
    return { name, funcs, serie };
  });
}

function reduce(func: PostFunc, values: number[]): number | null {
  if (func === 'COUNT') return values.length;
  if (func === 'SUM') return values.reduce((a, b) => a + b, 0);
  if (values.length === 0) return null;
  if (func === 'MIN') return Math.min(...values);
  if (func === 'MAX') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const numbers = (vs: (number | null | undefined)[]): number[] => vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

export function computePostAggregations(aggs: readonly PostAggregation[], rows: readonly SerieValue[][]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const a of aggs) {
    const values = rows.map((r) => r[a.serie]);
    const result: Record<string, unknown> = {};
    const objects = values.filter((v): v is Record<string, number | null> => typeof v === 'object' && v !== null);
    for (const f of a.funcs) {
      if (objects.length > 0) {
        const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
        result[f.toLowerCase()] = Object.fromEntries(keys.map((k) => [k, reduce(f, numbers(objects.map((o) => o[k])))]));
      } else {
        result[f.toLowerCase()] = reduce(f, numbers(values as (number | null)[]));
      }
    }
    out[a.name] = result;
  }
  return out;
}
