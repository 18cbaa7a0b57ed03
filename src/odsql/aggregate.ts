/**
 * `select` with aggregates, `group_by` and `order_by` of groups → one OpenSearch composite
 * aggregation (paged by the caller with `after`), and the pages → rows. Pure: no I/O.
 *
 * As v1 analyze does (src/analyze/build-analyze-body.ts, src/analyze/date-parts.ts), date groups
 * come from a date_histogram at the finest unit the request needs, in the request's time zone;
 * each bucket's start is then turned into the group's key (year(d), month(d), date_format(d, ...))
 * and buckets with equal keys are folded together. Counts, sums, minimums, maximums, averages
 * (kept as sum and count) and bounding boxes fold exactly; percentiles and distinct counts do not,
 * so they are refused when a fold would merge buckets (month(d) without year(d), for example).
 * Arithmetic in `select` is evaluated on the folded values. docs/odsql.md lists the choices.
 */
import { DateTime } from 'luxon';
import { GatewayError } from '../errors';
import { lookupField, unknownFieldProblem, type QuerySchema, type ResolvedField } from '../query/resolve-field';
import { semanticError, type Diagnostic } from '../query/query-error';
import type { LocationRange } from '../query/ast';
import type { AliasedItem, Arg, Call, Expr, Literal, OrderItem, SelectItem, Steps } from './ast';

export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'median', 'percentile', 'bbox'] as const;
const DATE_FUNCTIONS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
type DateUnit = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';
const UNIT_RANK: Record<DateUnit, number> = { year: 0, quarter: 1, month: 2, week: 3, day: 4, hour: 5, minute: 6, second: 7 };

/** One metric computed per group. */
export interface Metric {
  id: string;
  fn: 'count_star' | 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max' | 'percentile' | 'bbox';
  field?: ResolvedField;
  percent?: number;
}

type Dim =
  | { kind: 'terms'; field: ResolvedField; label: string; exprText: string; path?: string }
  | { kind: 'datepart'; field: ResolvedField; part: (typeof DATE_FUNCTIONS)[number]; label: string; exprText: string }
  | { kind: 'date_format'; field: ResolvedField; pattern: string; unit: DateUnit; units: Set<DateUnit>; label: string; exprText: string }
  | { kind: 'histogram'; field: ResolvedField; width: number; label: string; exprText: string }
  | { kind: 'date_interval'; field: ResolvedField; count: number; unit: DateUnit; label: string; exprText: string }
  | { kind: 'steps'; field: ResolvedField; steps: number[]; openLow: boolean; openHigh: boolean; label: string; exprText: string };

export interface GroupPlan {
  /** The composite sources (one per dimension, date dimensions of one field sharing one). */
  sources: Record<string, unknown>[];
  /** Sub-aggregations of each bucket. */
  aggs: Record<string, unknown>;
  /** Whether any group_by (a composite) is needed; else the metrics are top-level. */
  grouped: boolean;
  /** Rows from the collected buckets (or, without group_by, from the top-level aggregations). */
  rows(buckets: readonly Bucket[]): Record<string, unknown>[];
}

export interface Bucket {
  key: Record<string, unknown>;
  doc_count: number;
  [agg: string]: unknown;
}

interface Ctx {
  text: string;
  parameter: string;
  schema: QuerySchema;
  zone: string;
  diagnostics: Diagnostic[];
}

const textOf = (ctx: Ctx, loc: LocationRange): string => ctx.text.slice(loc.start.offset, loc.end.offset).trim();

function report(ctx: Ctx, message: string, at: LocationRange): void {
  ctx.diagnostics.push({ message, start: at.start });
}

function fieldArg(ctx: Ctx, arg: Arg | undefined, at: LocationRange, what: string): ResolvedField | undefined {
  if (arg === undefined || arg.kind !== 'field') {
    report(ctx, `${what}: expected a field name`, arg?.location ?? at);
    return undefined;
  }
  const f = lookupField(ctx.schema, arg.name);
  if (f === undefined) {
    const p = unknownFieldProblem(ctx.schema, arg.name);
    ctx.diagnostics.push({ message: p.message, start: arg.location.start, details: p.details });
  }
  return f;
}

const isDate = (f: ResolvedField) => f.type === 'date' || f.type === 'datetime';
const isNumeric = (f: ResolvedField) => f.type === 'int' || f.type === 'double';
/** The path a terms/metric aggregation reads (text: the exact keyword). */
const aggPath = (f: ResolvedField) => f.paths.keyword ?? f.paths.value;

// ----- date_format: Joda-style patterns (as the ODSQL reference documents them) → luxon -----

const JODA_TOKENS: [RegExp, string, DateUnit][] = [
  [/^(yyyy|YYYY)/, 'yyyy', 'year'],
  [/^(yy|YY)/, 'yy', 'year'],
  [/^xxxx/, 'kkkk', 'week'],
  [/^xx/, 'kk', 'week'],
  [/^ww/, 'WW', 'week'],
  [/^w/, 'W', 'week'],
  [/^EEEE/, 'cccc', 'day'],
  [/^E/, 'ccc', 'day'],
  [/^e/, 'c', 'day'],
  [/^DDD/, 'ooo', 'day'],
  [/^D/, 'o', 'day'],
  [/^MM/, 'LL', 'month'],
  [/^M/, 'L', 'month'],
  [/^dd/, 'dd', 'day'],
  [/^d/, 'd', 'day'],
  [/^HH/, 'HH', 'hour'],
  [/^H/, 'H', 'hour'],
  [/^mm/, 'mm', 'minute'],
  [/^m/, 'm', 'minute'],
  [/^ss/, 'ss', 'second'],
  [/^s/, 's', 'second'],
];

/** A Joda pattern as luxon's format, with the units it shows; undefined if a letter is unknown. */
export function jodaToLuxon(pattern: string): { format: string; units: Set<DateUnit> } | undefined {
  let out = '';
  const units = new Set<DateUnit>();
  let i = 0;
  while (i < pattern.length) {
    const rest = pattern.slice(i);
    if (rest.startsWith("''")) {
      out += "''";
      i += 2;
      continue;
    }
    if (rest[0] === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) return undefined;
      out += pattern.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const token = JODA_TOKENS.find(([re]) => re.test(rest));
    if (token) {
      const m = token[0].exec(rest)!;
      out += token[1];
      units.add(token[2]);
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(rest[0]!)) return undefined;
    out += `'${rest[0] === "'" ? "''" : rest[0]}'`;
    i++;
  }
  return { format: out, units };
}

const finest = (units: Iterable<DateUnit>): DateUnit => [...units].reduce((a, b) => (UNIT_RANK[b] > UNIT_RANK[a] ? b : a), 'year' as DateUnit);

/** Units whose values, together, name one bucket of the finest unit (a fold that merges nothing). */
function injective(units: Set<DateUnit>): boolean {
  const f = finest(units);
  if (f === 'week') return units.has('year') && units.has('week');
  if (units.has('week')) return false;
  const chain: DateUnit[] = ['year', 'month', 'day', 'hour', 'minute', 'second'];
  return chain.slice(0, chain.indexOf(f) + 1).every((u) => units.has(u));
}

// ----- Reading the clauses -----

const INTERVAL_UNITS: Record<string, DateUnit | 'ms'> = {
  ms: 'ms', millisecond: 'ms', milliseconds: 'ms',
  s: 'second', second: 'second', seconds: 'second',
  m: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', day: 'day', days: 'day',
  w: 'week', week: 'week', weeks: 'week',
  M: 'month', month: 'month', months: 'month',
  q: 'quarter', quarter: 'quarter', quarters: 'quarter',
  y: 'year', year: 'year', years: 'year',
};

function literalNumber(ctx: Ctx, lit: Literal, field: ResolvedField): number | undefined {
  if (lit.kind === 'number' && isNumeric(field)) return Number(lit.text);
  if (lit.kind === 'date' && isDate(field)) {
    const t = DateTime.fromISO(lit.text.replace(/\//g, '-'), { zone: ctx.zone });
    if (t.isValid) return t.toMillis();
  }
  report(ctx, `expected ${isDate(field) ? "a date literal, date'YYYY-MM-DD'" : 'a number'} as a step of range()`, lit.location);
  return undefined;
}

function readDim(ctx: Ctx, item: AliasedItem): Dim | undefined {
  const exprText = textOf(ctx, item.expr.location);
  const label = item.alias ?? exprText;
  const e = item.expr;
  if (e.kind === 'field') {
    const f = fieldArg(ctx, e, e.location, 'group_by');
    if (f === undefined) return undefined;
    if (f.type === 'geo_point_2d' || f.type === 'geo_shape' || f.type === 'file') {
      report(ctx, `cannot group by the ${f.type} field "${f.name}"`, e.location);
      return undefined;
    }
    return { kind: 'terms', field: f, label, exprText };
  }
  if (e.kind !== 'call') {
    report(ctx, 'group_by expects a field, range(...), date_format(...) or a date function such as year(...)', e.location);
    return undefined;
  }
  if (e.name === 'lower') {
    // lower(text): the values lower-cased and accent-folded (the `.lower` keyword of text fields).
    const f = fieldArg(ctx, e.args[0], e.location, 'lower()');
    if (f === undefined) return undefined;
    if (f.paths.lower === undefined || e.args.length !== 1) {
      report(ctx, 'lower() takes one text field', e.location);
      return undefined;
    }
    return { kind: 'terms', field: f, label, exprText, path: f.paths.lower };
  }
  if ((DATE_FUNCTIONS as readonly string[]).includes(e.name)) {
    const f = fieldArg(ctx, e.args[0], e.location, `${e.name}()`);
    if (f === undefined) return undefined;
    if (!isDate(f) || e.args.length !== 1) {
      report(ctx, `${e.name}() takes one date or datetime field`, e.location);
      return undefined;
    }
    return { kind: 'datepart', field: f, part: e.name as (typeof DATE_FUNCTIONS)[number], label, exprText };
  }
  if (e.name === 'date_format') {
    const f = fieldArg(ctx, e.args[0], e.location, 'date_format()');
    const p = e.args[1];
    if (f === undefined) return undefined;
    if (!isDate(f) || p === undefined || p.kind !== 'string' || e.args.length !== 2) {
      report(ctx, "date_format() takes a date or datetime field and a pattern string such as 'yyyy-MM'", e.location);
      return undefined;
    }
    const lux = jodaToLuxon(p.value);
    if (lux === undefined || lux.units.size === 0) {
      report(ctx, `unsupported date_format pattern ${JSON.stringify(p.value)}: use the letters y, M, d, H, m, s, w, e, E, D and quoted text`, p.location);
      return undefined;
    }
    return { kind: 'date_format', field: f, pattern: lux.format, unit: finest(lux.units), units: lux.units, label, exprText };
  }
  if (e.name === 'range') {
    const f = fieldArg(ctx, e.args[0], e.location, 'range()');
    const spec = e.args[1];
    if (f === undefined) return undefined;
    if ((!isNumeric(f) && !isDate(f)) || spec === undefined || e.args.length !== 2) {
      report(ctx, 'range() takes a numeric or date field, then [steps] or a width', e.location);
      return undefined;
    }
    if (spec.kind === 'steps') return readSteps(ctx, f, spec, label, exprText);
    if (spec.kind === 'number' && isNumeric(f) && Number(spec.text) > 0) return { kind: 'histogram', field: f, width: Number(spec.text), label, exprText };
    if (spec.kind === 'interval' && isDate(f)) {
      const unit = INTERVAL_UNITS[spec.unit];
      if (unit === undefined || unit === 'ms' || spec.count < 1 || (UNIT_RANK[unit] <= UNIT_RANK.week && spec.count !== 1)) {
        report(ctx, 'a date range() width is 1 year, quarter, month or week, or N days, hours, minutes or seconds', spec.location);
        return undefined;
      }
      return { kind: 'date_interval', field: f, count: spec.count, unit, label, exprText };
    }
    report(ctx, isDate(f) ? 'range() on a date field takes [date steps] or an interval such as 1 month' : 'range() on a number takes [steps] or a positive width', spec.location);
    return undefined;
  }
  report(ctx, `unknown group_by function ${e.name}(): expected range, date_format, lower, year, month, day, hour, minute or second`, e.location);
  return undefined;
}

function readSteps(ctx: Ctx, f: ResolvedField, spec: Steps, label: string, exprText: string): Dim | undefined {
  const steps = spec.values.map((v) => literalNumber(ctx, v, f));
  if (steps.some((s) => s === undefined)) return undefined;
  const sorted = steps as number[];
  if (sorted.some((s, i) => i > 0 && s <= sorted[i - 1]!)) {
    report(ctx, 'the steps of range() must increase', spec.location);
    return undefined;
  }
  if (sorted.length > 100) {
    report(ctx, 'range() takes at most 100 steps', spec.location);
    return undefined;
  }
  return { kind: 'steps', field: f, steps: sorted, openLow: spec.openLow, openHigh: spec.openHigh, label, exprText };
}

/** The metric an aggregate call stands for, or undefined (with a diagnostic). */
function readMetric(ctx: Ctx, call: Call, id: string): Metric | undefined {
  const [a, b] = call.args;
  switch (call.name) {
    case 'count':
      if (a?.kind === 'star' || a === undefined) return { id, fn: 'count_star' };
      if (a.kind === 'distinct') {
        const f = fieldArg(ctx, a.expr as Arg, a.location, 'count(distinct ...)');
        return f && { id, fn: 'count_distinct', field: f };
      }
      {
        const f = fieldArg(ctx, a, call.location, 'count()');
        return f && { id, fn: 'count', field: f };
      }
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
    case 'median':
    case 'percentile': {
      const f = fieldArg(ctx, a, call.location, `${call.name}()`);
      if (f === undefined) return undefined;
      if (!isNumeric(f) && !((call.name === 'min' || call.name === 'max') && isDate(f))) {
        report(ctx, `${call.name}() works on numeric fields${call.name === 'min' || call.name === 'max' ? ' and dates' : ''}, not on the ${f.type} field "${f.name}"`, call.location);
        return undefined;
      }
      if (call.name === 'median') return { id, fn: 'percentile', field: f, percent: 50 };
      if (call.name === 'percentile') {
        const p = b?.kind === 'number' ? Number(b.text) : NaN;
        if (!(p >= 0 && p <= 100)) {
          report(ctx, 'percentile() takes a field and a number between 0 and 100', b?.location ?? call.location);
          return undefined;
        }
        return { id, fn: 'percentile', field: f, percent: p };
      }
      return { id, fn: call.name, field: f };
    }
    case 'bbox': {
      const f = fieldArg(ctx, a, call.location, 'bbox()');
      if (f === undefined) return undefined;
      if (f.type !== 'geo_point_2d') {
        report(ctx, `bbox() works on a geo_point_2d field, not on the ${f.type} field "${f.name}"`, call.location);
        return undefined;
      }
      return { id, fn: 'bbox', field: f };
    }
    default:
      return undefined;
  }
}

const isAggregate = (e: Expr): boolean => e.kind === 'call' && (AGGREGATES as readonly string[]).includes(e.name);
export const hasAggregate = (e: Expr): boolean =>
  isAggregate(e) || (e.kind === 'binary' && (hasAggregate(e.left) || hasAggregate(e.right)));

function metricAggs(m: Metric): Record<string, unknown> {
  const path = m.field === undefined ? '' : aggPath(m.field);
  switch (m.fn) {
    case 'count_star':
      return {};
    case 'count':
      return { [m.id]: { value_count: { field: path } } };
    case 'count_distinct':
      return { [m.id]: { cardinality: { field: path, precision_threshold: 40000 } } };
    case 'avg':
      return { [`${m.id}_sum`]: { sum: { field: path } }, [`${m.id}_n`]: { value_count: { field: path } } };
    case 'sum':
    case 'min':
    case 'max':
      return { [m.id]: { [m.fn]: { field: path } } };
    case 'percentile':
      return { [m.id]: { percentiles: { field: path, percents: [m.percent], keyed: false } } };
    case 'bbox':
      return { [m.id]: { geo_bounds: { field: path } } };
  }
}

/** A metric's foldable state, read from one bucket. */
type State = number | null | { sum: number; n: number } | { top: number; left: number; bottom: number; right: number };

function readState(m: Metric, b: Bucket): State {
  const v = (name: string) => (b[name] as { value?: number | null } | undefined)?.value ?? null;
  switch (m.fn) {
    case 'count_star':
      return b.doc_count;
    case 'avg':
      return { sum: v(`${m.id}_sum`) ?? 0, n: v(`${m.id}_n`) ?? 0 };
    case 'percentile': {
      const values = (b[m.id] as { values?: { value: number | null }[] } | undefined)?.values;
      return values?.[0]?.value ?? null;
    }
    case 'bbox': {
      const bounds = (b[m.id] as { bounds?: { top_left: { lat: number; lon: number }; bottom_right: { lat: number; lon: number } } }).bounds;
      return bounds === undefined ? null : { top: bounds.top_left.lat, left: bounds.top_left.lon, bottom: bounds.bottom_right.lat, right: bounds.bottom_right.lon };
    }
    default:
      return v(m.id);
  }
}

function foldState(m: Metric, a: State, b: State): State {
  if (a === null) return b;
  if (b === null) return a;
  switch (m.fn) {
    case 'count_star':
    case 'count':
    case 'sum':
      return (a as number) + (b as number);
    case 'min':
      return Math.min(a as number, b as number);
    case 'max':
      return Math.max(a as number, b as number);
    case 'avg': {
      const x = a as { sum: number; n: number };
      const y = b as { sum: number; n: number };
      return { sum: x.sum + y.sum, n: x.n + y.n };
    }
    case 'bbox': {
      const x = a as { top: number; left: number; bottom: number; right: number };
      const y = b as typeof x;
      return { top: Math.max(x.top, y.top), left: Math.min(x.left, y.left), bottom: Math.min(x.bottom, y.bottom), right: Math.max(x.right, y.right) };
    }
    default:
      // Never reached: plans that would fold these are refused.
      throw new Error(`cannot fold ${m.fn}`);
  }
}

function finalValue(m: Metric, s: State): unknown {
  if (s === null) return m.fn === 'count' || m.fn === 'count_star' || m.fn === 'count_distinct' ? 0 : null;
  if (m.fn === 'avg') {
    const { sum, n } = s as { sum: number; n: number };
    return n === 0 ? null : sum / n;
  }
  if (m.fn === 'bbox') {
    const x = s as { top: number; left: number; bottom: number; right: number };
    return {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[x.left, x.bottom], [x.right, x.bottom], [x.right, x.top], [x.left, x.top], [x.left, x.bottom]]] },
      properties: {},
    };
  }
  if ((m.fn === 'min' || m.fn === 'max') && m.field && isDate(m.field)) return new Date(s as number).toISOString();
  return s;
}

// ----- Expressions over a row -----

type Value = unknown;

function evaluate(e: Expr, row: Record<string, Value>, metrics: Map<Expr, Metric>, states: Map<string, State>, dims: Map<string, Value>, ctx: Ctx): Value {
  switch (e.kind) {
    case 'number':
      return Number(e.text);
    case 'string':
      return e.value;
    case 'bool':
      return e.value;
    case 'null':
      return null;
    case 'field':
      return dims.has(e.name) ? dims.get(e.name) : row[e.name];
    case 'call': {
      const m = metrics.get(e);
      if (m !== undefined) return finalValue(m, states.get(m.id) ?? null);
      return dims.get(textOf(ctx, e.location)) ?? null;
    }
    case 'binary': {
      const l = evaluate(e.left, row, metrics, states, dims, ctx);
      const r = evaluate(e.right, row, metrics, states, dims, ctx);
      if (typeof l !== 'number' || typeof r !== 'number') return null;
      switch (e.op) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          return r === 0 ? null : l / r;
      }
      return null;
    }
    default:
      return null;
  }
}

// ----- The plan -----

export interface AggregateRequest {
  select: SelectItem[] | undefined;
  selectText: string;
  groupBy: AliasedItem[] | undefined;
  groupByText: string;
  orderBy: OrderItem[] | undefined;
  orderByText: string;
  schema: QuerySchema;
  timezone: string;
}

/** A `date` field holds calendar days (stored at UTC midnight): read in UTC whatever the request's zone. */
const zoneFor = (f: ResolvedField, zone: string): string => (f.type === 'date' ? 'UTC' : zone);

function dimKey(d: Dim, key: unknown, requestZone: string): unknown {
  if (key === null || key === undefined) return null;
  const zone = zoneFor(d.field, requestZone);
  switch (d.kind) {
    case 'terms':
      if (d.field.type === 'date') return DateTime.fromMillis(key as number, { zone: 'UTC' }).toISODate();
      if (d.field.type === 'datetime') return DateTime.fromMillis(key as number, { zone }).toISO({ suppressMilliseconds: true });
      return key;
    case 'datepart': {
      const t = DateTime.fromMillis(key as number, { zone });
      return t[d.part];
    }
    case 'date_format':
      return DateTime.fromMillis(key as number, { zone }).toFormat(d.pattern);
    case 'histogram': {
      const lo = key as number;
      return `${lo}-${lo + d.width}`;
    }
    case 'date_interval': {
      const t = DateTime.fromMillis(key as number, { zone });
      return UNIT_RANK[d.unit] <= UNIT_RANK.day ? t.toISODate() : t.toISO({ suppressMilliseconds: true });
    }
    case 'steps': {
      const i = Number(key);
      const fmt = (n: number) => (isDate(d.field) ? DateTime.fromMillis(n, { zone }).toISO({ suppressMilliseconds: true }) : String(n));
      const lo = i < 0 ? '*' : fmt(d.steps[i]!);
      const hi = i + 1 >= d.steps.length ? '*' : fmt(d.steps[i + 1]!);
      return `${lo}-${hi}`;
    }
  }
}

const STEP_SCRIPT_NUMBER =
  "def f = doc[params.f]; if (f.size() == 0) return null; double v = f.value; int n = params.steps.length; " +
  "if (v < params.steps[0]) return params.low ? -1 : null; for (int i = 1; i < n; i++) { if (v < params.steps[i]) return i - 1; } return params.high ? n - 1 : null;";
const STEP_SCRIPT_DATE =
  "def f = doc[params.f]; if (f.size() == 0) return null; long v = f.value.toInstant().toEpochMilli(); int n = params.steps.length; " +
  "if (v < params.steps[0]) return params.low ? -1 : null; for (int i = 1; i < n; i++) { if (v < params.steps[i]) return i - 1; } return params.high ? n - 1 : null;";

const CALENDAR: Record<DateUnit, string> = { year: 'year', quarter: 'quarter', month: 'month', week: 'week', day: 'day', hour: 'hour', minute: 'minute', second: 'second' };
const FIXED_SUFFIX: Partial<Record<DateUnit, string>> = { day: 'd', hour: 'h', minute: 'm', second: 's' };

export function planAggregate(req: AggregateRequest): GroupPlan {
  const ctx: Ctx = { text: req.selectText, parameter: 'select', schema: req.schema, zone: req.timezone, diagnostics: [] };
  const gctx: Ctx = { ...ctx, text: req.groupByText, parameter: 'group_by', diagnostics: [] };
  const octx: Ctx = { ...ctx, text: req.orderByText, parameter: 'order_by', diagnostics: [] };

  const dims = (req.groupBy ?? []).map((item) => readDim(gctx, item));
  if (gctx.diagnostics.length > 0) throw semanticError(req.groupByText, { parameter: 'group_by' }, gctx.diagnostics);
  const okDims = dims as Dim[];

  // Metrics: every aggregate call in select and order_by.
  const metrics = new Map<Expr, Metric>();
  let n = 0;
  const collect = (e: Expr, c: Ctx): void => {
    if (isAggregate(e)) {
      const m = readMetric(c, e as Call, `m${n++}`);
      if (m !== undefined) metrics.set(e, m);
    } else if (e.kind === 'binary') {
      collect(e.left, c);
      collect(e.right, c);
    }
  };
  const items: { label: string; expr: Expr }[] = [];
  for (const s of req.select ?? []) {
    if (s.kind !== 'item') {
      report(ctx, 'with group_by or aggregates, select lists expressions, not * or include()/exclude()', s.location);
      continue;
    }
    collect(s.expr, ctx);
    items.push({ label: s.alias ?? textOf(ctx, s.expr.location), expr: s.expr });
    if (!hasAggregate(s.expr)) {
      // A plain expression must be one of the groups (by its text or alias).
      const t = textOf(ctx, s.expr.location);
      const known = okDims.some((d) => d.label === t || d.exprText === t || (d.kind === 'terms' && d.field.name === t)) || s.expr.kind === 'number' || s.expr.kind === 'string';
      if (!known) report(ctx, `"${t}" is neither an aggregate nor in group_by`, s.expr.location);
    }
  }
  for (const o of req.orderBy ?? []) collect(o.expr, octx);
  if (ctx.diagnostics.length > 0) throw semanticError(req.selectText, { parameter: 'select' }, ctx.diagnostics);
  if (octx.diagnostics.length > 0) throw semanticError(req.orderByText, { parameter: 'order_by' }, octx.diagnostics);

  // Sources: date dimensions of one field share one histogram at the finest unit they need.
  const sources: Record<string, unknown>[] = [];
  const sourceOf: string[] = [];
  const dateSources = new Map<string, { name: string; units: Set<DateUnit> }>();
  okDims.forEach((d, i) => {
    if (d.kind === 'datepart' || d.kind === 'date_format') {
      const shared = dateSources.get(d.field.name);
      const units = d.kind === 'datepart' ? new Set<DateUnit>([d.part]) : new Set<DateUnit>(d.units);
      if (shared) {
        units.forEach((u) => shared.units.add(u));
        sourceOf.push(shared.name);
      } else {
        const name = `g${i}`;
        dateSources.set(d.field.name, { name, units });
        sourceOf.push(name);
        sources.push({ [name]: { date_histogram: { field: d.field.paths.value, calendar_interval: 'placeholder', time_zone: zoneFor(d.field, req.timezone) } } });
      }
      return;
    }
    const name = `g${i}`;
    sourceOf.push(name);
    const path = aggPath(d.field);
    switch (d.kind) {
      case 'terms':
        sources.push({ [name]: { terms: { field: d.path ?? path, missing_bucket: true } } });
        break;
      case 'histogram':
        sources.push({ [name]: { histogram: { field: path, interval: d.width } } });
        break;
      case 'date_interval': {
        const fixed = FIXED_SUFFIX[d.unit];
        const interval = d.count === 1 || fixed === undefined ? { calendar_interval: CALENDAR[d.unit] } : { fixed_interval: `${d.count}${fixed}` };
        sources.push({ [name]: { date_histogram: { field: path, ...interval, time_zone: zoneFor(d.field, req.timezone) } } });
        break;
      }
      case 'steps':
        sources.push({
          [name]: {
            terms: {
              value_type: 'long',
              script: {
                source: isDate(d.field) ? STEP_SCRIPT_DATE : STEP_SCRIPT_NUMBER,
                lang: 'painless',
                params: { f: path, steps: d.steps, low: d.openLow, high: d.openHigh },
              },
            },
          },
        });
        break;
    }
  });
  let folds = false;
  for (const [, s] of dateSources) {
    const unit = finest(s.units);
    const src = sources.find((x) => x[s.name] !== undefined)![s.name] as { date_histogram: Record<string, unknown> };
    src.date_histogram.calendar_interval = CALENDAR[unit];
    if (!injective(s.units)) folds = true;
  }
  const unfoldable = [...metrics.values()].find((m) => m.fn === 'percentile' || m.fn === 'count_distinct');
  if (folds && unfoldable !== undefined) {
    throw new GatewayError(
      'bad_parameter',
      'Invalid value for parameter "select": percentile(), median() and count(distinct ...) cannot be combined with a group_by on parts of a date that do not name one period (month() without year(), for example)',
      { extra: { parameter: 'select' } },
    );
  }

  let aggs: Record<string, unknown> = {};
  for (const m of metrics.values()) aggs = { ...aggs, ...metricAggs(m) };
  const metricList = [...metrics.values()];
  const grouped = okDims.length > 0;

  const rows = (buckets: readonly Bucket[]): Record<string, unknown>[] => {
    const folded = new Map<string, { dims: Map<string, Value>; natural: unknown[]; states: Map<string, State> }>();
    for (const b of buckets) {
      const dimValues = new Map<string, Value>();
      // The order of a group's key: the number under a range or interval key ("5000-10000" sorts
      // before "10000-*"), the value itself otherwise.
      const natural: unknown[] = [];
      okDims.forEach((d, i) => {
        const raw = b.key[sourceOf[i]!];
        const v = dimKey(d, raw, req.timezone);
        natural.push(d.kind === 'histogram' || d.kind === 'steps' || d.kind === 'date_interval' ? (raw === null ? null : Number(raw)) : v);
        dimValues.set(d.label, v);
        if (!dimValues.has(d.exprText)) dimValues.set(d.exprText, v);
        if (d.kind === 'terms' && d.path === undefined && !dimValues.has(d.field.name)) dimValues.set(d.field.name, v);
      });
      const k = JSON.stringify([...dimValues.values()]);
      const states = new Map(metricList.map((m) => [m.id, readState(m, b)] as const));
      const prev = folded.get(k);
      if (prev === undefined) folded.set(k, { dims: dimValues, natural, states });
      else for (const m of metricList) prev.states.set(m.id, foldState(m, prev.states.get(m.id) ?? null, states.get(m.id) ?? null));
    }
    const out: { row: Record<string, unknown>; sortValues: unknown[] }[] = [];
    for (const { dims: dv, natural, states } of folded.values()) {
      const row: Record<string, unknown> = {};
      // The groups first (v2.1 returns them whatever the select), then the selected expressions.
      okDims.forEach((d) => (row[d.label] = dv.get(d.label)));
      for (const it of items) row[it.label] = evaluate(it.expr, {}, metrics, states, dv, ctx);
      const sortValues = (req.orderBy ?? []).map((o) => {
        const t = textOf(octx, o.expr.location);
        const dim = okDims.findIndex((d) => d.label === t || d.exprText === t || (d.kind === 'terms' && d.path === undefined && d.field.name === t));
        if (dim !== -1) return natural[dim];
        if (Object.prototype.hasOwnProperty.call(row, t)) return row[t];
        if (dv.has(t)) return dv.get(t);
        return evaluate(o.expr, row, metrics, states, dv, octx);
      });
      out.push({ row, sortValues: [...sortValues, ...natural] });
    }
    // order_by first, then the groups' keys, ascending (the order without order_by).
    const directions = [...(req.orderBy ?? []).map((o) => o.direction), ...okDims.map(() => 'asc' as const)];
    out.sort((a, b) => {
      for (let i = 0; i < directions.length; i++) {
        const c = compareValues(a.sortValues[i], b.sortValues[i]);
        if (c !== 0) return directions[i] === 'desc' ? -c : c;
      }
      return 0;
    });
    return out.map((o) => o.row);
  };

  // Without group_by, the metrics are computed once, over every matching record.
  return { sources, aggs, grouped, rows };
}

/** Nulls last, numbers numerically, the rest as strings. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
