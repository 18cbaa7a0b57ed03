/**
 * The y series of analyze (and geocluster): `y.<serie>.func`, `y.<serie>.expr`, `y.<serie>.cumulative`,
 * `y.<serie>.subsets` (docs/v1-api.md, Analyze).
 *
 * Every function but QUANTILES reads one `extended_stats` (count, sum, min, max, sum of squares):
 * it merges exactly, which the periodic fold and the geocluster merge need
 * (docs/opensearch-design.md, Analyze). COUNT is the bucket's doc_count. QUANTILES reads `percentiles`
 * (TDigest: approximate, and not mergeable, so it is refused where buckets are merged).
 * An expression with fields is wrapped in a filter on `exists` for each field it reads, so a record
 * without a value is not counted (a Lucene expression would read 0).
 *
 * Serie names are free text (`serie1-1`, `serie1-1-range-0`): they never become aggregation names
 * (those are `y0`, `y1`, ...), only response keys.
 */
import { badParameter } from '../errors';
import type { QuerySchema } from '../query/resolve-field';
import type { ParamSource } from '../search/search-request';
import { expressionValueSource, type CompilePolicy, type ValueSource } from './expression';

export const SERIE_FUNCS = ['COUNT', 'AVG', 'SUM', 'MIN', 'MAX', 'STDDEV', 'SUMSQUARES', 'QUANTILES'] as const;
export type SerieFunc = (typeof SERIE_FUNCS)[number];

/** Percentiles asked when QUANTILES comes without subsets (ods-widgets sends 50). */
export const DEFAULT_SUBSETS = [50];
const MAX_SERIES = 50;
const MAX_SERIE_NAME = 100;

export interface SerieSpec {
  name: string;
  func: SerieFunc;
  cumulative: boolean;
  /** What is aggregated; absent for COUNT. */
  value?: ValueSource;
  /** QUANTILES only: the percentiles asked, in (0, 100]. */
  percents?: number[];
}

type Props = Map<string, string>;

/** `y.<name>.<prop>` parameters grouped by serie, in order of first appearance. */
function seriesParams(params: ParamSource): Map<string, Props> {
  const out = new Map<string, Props>();
  for (const key of params.names()) {
    if (!key.startsWith('y.')) continue;
    const dot = key.lastIndexOf('.');
    if (dot <= 2) continue;
    const name = key.slice(2, dot);
    const prop = key.slice(dot + 1);
    const value = params.get(key);
    if (value === undefined) continue;
    let props = out.get(name);
    if (!props) out.set(name, (props = new Map()));
    props.set(prop, value);
  }
  return out;
}

function readFunc(name: string, raw: string | undefined, hasExpr: boolean): SerieFunc {
  const parameter = `y.${name}.func`;
  if (raw === undefined) {
    throw badParameter(parameter, `missing: expected one of ${SERIE_FUNCS.join(', ')}${hasExpr ? ` to aggregate y.${name}.expr` : ''}`);
  }
  const hit = SERIE_FUNCS.find((f) => f === raw.trim().toUpperCase());
  if (!hit) throw badParameter(parameter, `expected one of ${SERIE_FUNCS.join(', ')}, got "${raw.slice(0, 40)}"`);
  return hit;
}

function readSubsets(name: string, raw: string | undefined): number[] {
  if (raw === undefined) return [...DEFAULT_SUBSETS];
  const parameter = `y.${name}.subsets`;
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0 || parts.length > 20) throw badParameter(parameter, 'expected 1 to 20 comma-separated percentiles');
  return parts.map((p) => {
    const n = Number(p);
    if (!/^[+]?\d+(\.\d+)?$/.test(p) || !(n > 0 && n <= 100)) {
      throw badParameter(parameter, `expected percentiles between 0 (excluded) and 100, got "${p.slice(0, 20)}"`);
    }
    return n;
  });
}

function readBool(name: string, prop: string, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const s = raw.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw badParameter(`y.${name}.${prop}`, `expected true or false, got "${raw.slice(0, 20)}"`);
}

/**
 * Reads and checks every serie; expressions are checked against the schema here. `mayCompile` says
 * whether an expression may go as a compiled Lucene expression (else interpreted; compile-expression.ts).
 */
export function readSeries(params: ParamSource, schema: QuerySchema, mayCompile?: CompilePolicy): SerieSpec[] {
  const grouped = seriesParams(params);
  if (grouped.size > MAX_SERIES) throw badParameter('y', `at most ${MAX_SERIES} series per request`);
  const out: SerieSpec[] = [];
  for (const [name, props] of grouped) {
    if (name.length > MAX_SERIE_NAME) throw badParameter(`y.${name.slice(0, 40)}…`, `serie names have at most ${MAX_SERIE_NAME} characters`);
    const expr = props.get('expr');
    const func = readFunc(name, props.get('func'), expr !== undefined);
    const spec: SerieSpec = { name, func, cumulative: readBool(name, 'cumulative', props.get('cumulative')) };
    // COUNT counts records; an expr sent with it is ignored (as a constant would be).
    if (func !== 'COUNT') {
      if (expr === undefined) throw badParameter(`y.${name}.expr`, `missing: ${func} needs a numeric field or an expression`);
      spec.value = expressionValueSource(expr, `y.${name}.expr`, schema, mayCompile);
    }
    if (func === 'QUANTILES') spec.percents = readSubsets(name, props.get('subsets'));
    out.push(spec);
  }
  return out;
}

export const serieAggName = (index: number): string => `y${index}`;

/** The aggregation of one serie, or undefined for COUNT (the bucket's doc_count answers it). */
export function serieAggregation(spec: SerieSpec): Record<string, unknown> | undefined {
  if (spec.func === 'COUNT' || spec.value === undefined) return undefined;
  const v = spec.value;
  const read = v.kind === 'field' ? { field: v.path } : { script: v.script };
  const metric =
    spec.func === 'QUANTILES' ? { percentiles: { ...read, percents: spec.percents ?? DEFAULT_SUBSETS, keyed: true } } : { extended_stats: read };
  if (v.kind === 'field' || v.guards.length === 0) return metric;
  return { filter: { bool: { filter: v.guards.map((field) => ({ exists: { field } })) } }, aggs: { v: metric } };
}

/** The aggregations of every serie, keyed y0, y1, ... */
export function seriesAggregations(specs: readonly SerieSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  specs.forEach((s, i) => {
    const agg = serieAggregation(s);
    if (agg) out[serieAggName(i)] = agg;
  });
  return out;
}

// ----- reading back, merging, final values --------------------------------------------------------

/** Mergeable statistics of one serie in one bucket. */
export interface Stats {
  kind: 'stats';
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  sumOfSquares: number;
}
export interface Percentiles {
  kind: 'percentiles';
  /** Keyed as OpenSearch keys them ("50.0", "99.9"), which is what v1 clients read. */
  values: Record<string, number | null>;
}
export type SerieStats = Stats | Percentiles | undefined;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The stats of serie `index` in an aggregation bucket (a composite bucket or the top level). */
export function readSerieStats(spec: SerieSpec, bucket: Record<string, unknown>, index: number): SerieStats {
  let agg = bucket[serieAggName(index)] as Record<string, unknown> | undefined;
  if (agg === undefined) return undefined;
  if ('v' in agg && typeof agg.v === 'object') agg = agg.v as Record<string, unknown>;
  if (spec.func === 'QUANTILES') {
    const values = (agg.values ?? {}) as Record<string, unknown>;
    return { kind: 'percentiles', values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, num(v)])) };
  }
  return {
    kind: 'stats',
    count: num(agg.count) ?? 0,
    sum: num(agg.sum) ?? 0,
    min: num(agg.min),
    max: num(agg.max),
    sumOfSquares: num(agg.sum_of_squares) ?? 0,
  };
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Exact merge of two buckets' stats (percentiles cannot be merged: the callers refuse QUANTILES there). */
export function mergeStats(a: SerieStats, b: SerieStats): SerieStats {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.kind !== 'stats' || b.kind !== 'stats') throw new Error('mergeStats: percentiles cannot be merged');
  return {
    kind: 'stats',
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: minOf(a.min, b.min),
    max: maxOf(a.max, b.max),
    sumOfSquares: a.sumOfSquares + b.sumOfSquares,
  };
}

export type SerieValue = number | null | Record<string, number | null>;

/**
 * The value a serie shows for a bucket of `docCount` records. STDDEV is the population standard
 * deviation, computed as OpenSearch's extended_stats does (so an unmerged bucket gives its value).
 * With no value in the bucket, AVG, MIN, MAX and STDDEV are null; SUM and SUMSQUARES are 0.
 */
export function serieValue(spec: SerieSpec, docCount: number, stats: SerieStats): SerieValue {
  if (spec.func === 'COUNT') return docCount;
  if (spec.func === 'QUANTILES') {
    if (stats?.kind === 'percentiles') return stats.values;
    return Object.fromEntries((spec.percents ?? DEFAULT_SUBSETS).map((p) => [percentileKey(p), null]));
  }
  const s = stats?.kind === 'stats' ? stats : { count: 0, sum: 0, min: null, max: null, sumOfSquares: 0 };
  switch (spec.func) {
    case 'SUM':
      return s.sum;
    case 'SUMSQUARES':
      return s.sumOfSquares;
    case 'AVG':
      return s.count > 0 ? s.sum / s.count : null;
    case 'MIN':
      return s.count > 0 ? s.min : null;
    case 'MAX':
      return s.count > 0 ? s.max : null;
    case 'STDDEV': {
      if (s.count === 0) return null;
      const variance = (s.sumOfSquares - (s.sum * s.sum) / s.count) / s.count;
      return Math.sqrt(variance < 0 ? 0 : variance);
    }
  }
}

/** OpenSearch's key for a percentile (Java's Double.toString for these values): 50 → "50.0". */
export function percentileKey(p: number): string {
  return Number.isInteger(p) ? `${p}.0` : String(p);
}
