/**
 * Records as Explore v2.1 returns them: one flat object per record, every selected field present
 * (null when empty). `select` without aggregates picks, renames and computes fields; `order_by`
 * sorts the records. Pure: no I/O. docs/odsql.md describes the value shapes.
 */
import { DateTime } from 'luxon';
import type { DatasetDescriptor, FieldDescriptor } from '../datasets/descriptor';
import { semanticError, type Diagnostic } from '../query/query-error';
import { lookupField, unknownFieldProblem, type QuerySchema } from '../query/resolve-field';
import { renderValue, type StoredRecord } from '../responses/record';
import { RECORD_ID_PATH } from '../datasets/field-paths';
import type { Expr, OrderItem, SelectItem } from './ast';
import { hasAggregate } from './aggregate';

/** A stored value → its v2.1 JSON value (null when empty). */
export function v21Value(field: FieldDescriptor, v: unknown, timezone: string): unknown {
  const rendered = renderValue(field, v, timezone);
  if (rendered === undefined) return null;
  switch (field.type) {
    case 'geo_point_2d': {
      const [lat, lon] = rendered as [number, number];
      return { lon, lat };
    }
    case 'geo_shape':
      return { type: 'Feature', geometry: rendered, properties: {} };
    default:
      return rendered;
  }
}

type Column = { label: string; value: (doc: StoredRecord) => unknown };

export interface RecordsPlan {
  sort: Record<string, unknown>[];
  /** The keys of every row, in order (a CSV header even when no record matches). */
  labels: string[];
  /** Field names whose stored values are needed (for `_source` filtering); undefined: all. */
  project(doc: StoredRecord): Record<string, unknown>;
}

const textOf = (text: string, e: { location: { start: { offset: number }; end: { offset: number } } }) =>
  text.slice(e.location.start.offset, e.location.end.offset).trim();

const globToRegExp = (p: string) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

export function planRecords(
  d: DatasetDescriptor,
  schema: QuerySchema,
  request: { select?: SelectItem[]; selectText: string; orderBy?: OrderItem[]; orderByText: string; timezone: string },
): RecordsPlan {
  const visible = d.fields.filter((f) => !schema.hidden?.has(f.name));
  const diagnostics: Diagnostic[] = [];
  const { timezone } = request;
  const columnOf = (f: FieldDescriptor, label = f.name): Column => ({ label, value: (doc) => v21Value(f, doc.fields?.[f.name], timezone) });

  const evalExpr = (e: Expr): ((doc: StoredRecord) => unknown) | undefined => {
    switch (e.kind) {
      case 'number':
        return () => Number(e.text);
      case 'string':
        return () => e.value;
      case 'null':
        return () => null;
      case 'bool':
        return () => e.value;
      case 'field': {
        const f = lookupField(schema, e.name);
        if (f === undefined) {
          const p = unknownFieldProblem(schema, e.name);
          diagnostics.push({ message: p.message, start: e.location.start, details: p.details });
          return undefined;
        }
        if (f.pseudo) return (doc) => (e.name === 'recordid' ? doc.recordid : (doc.record_timestamp ?? null));
        return (doc) => v21Value(f.descriptor, doc.fields?.[f.name], timezone);
      }
      case 'binary': {
        const l = evalExpr(e.left);
        const r = evalExpr(e.right);
        if (!l || !r) return undefined;
        return (doc) => {
          const a = l(doc);
          const b = r(doc);
          if (typeof a !== 'number' || typeof b !== 'number') return null;
          return e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : b === 0 ? null : a / b;
        };
      }
      case 'call': {
        const arg = e.args[0];
        const inner = arg !== undefined && arg.kind !== 'star' && arg.kind !== 'distinct' && arg.kind !== 'steps' && arg.kind !== 'interval' ? evalExpr(arg) : undefined;
        if (!inner || e.args.length !== 1) break;
        if (['year', 'month', 'day', 'hour', 'minute', 'second'].includes(e.name)) {
          const part = e.name as 'year';
          return (doc) => {
            const v = inner(doc);
            if (typeof v !== 'string') return null;
            const t = DateTime.fromISO(v, { zone: timezone });
            return t.isValid ? t[part] : null;
          };
        }
        if (e.name === 'length') return (doc) => (typeof inner(doc) === 'string' ? (inner(doc) as string).length : null);
        if (e.name === 'lower') return (doc) => (typeof inner(doc) === 'string' ? (inner(doc) as string).toLowerCase() : null);
        if (e.name === 'upper') return (doc) => (typeof inner(doc) === 'string' ? (inner(doc) as string).toUpperCase() : null);
        break;
      }
      default:
        break;
    }
    const what = e.kind === 'call' ? `the function ${e.name}()` : 'this expression';
    diagnostics.push({ message: `${what} is not supported in select here: use fields, numbers, strings, + - * /, year()...second(), length(), lower(), upper() or the aggregates`, start: e.location.start });
    return undefined;
  };

  let columns: Column[] = [];
  const select = request.select ?? [{ kind: 'select_all' as const, location: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } } }];
  for (const s of select) {
    if (s.kind === 'select_all') columns.push(...visible.map((f) => columnOf(f)));
    else if (s.kind === 'include') {
      if (!columns.length) columns = [];
      const res = s.patterns.map(globToRegExp);
      for (const f of visible) if (res.some((r) => r.test(f.name)) && !columns.some((c) => c.label === f.name)) columns.push(columnOf(f));
    } else if (s.kind === 'exclude') {
      const res = s.patterns.map(globToRegExp);
      const base = columns.length > 0 ? columns : visible.map((f) => columnOf(f));
      columns = base.filter((c) => !res.some((r) => r.test(c.label)));
    } else if (s.kind === 'item') {
      if (hasAggregate(s.expr)) continue;
      const fn = evalExpr(s.expr);
      if (fn) columns.push({ label: s.alias ?? textOf(request.selectText, s.expr), value: fn });
    }
  }
  if (diagnostics.length > 0) throw semanticError(request.selectText, { parameter: 'select' }, diagnostics);

  const sort: Record<string, unknown>[] = [];
  const orderDiagnostics: Diagnostic[] = [];
  for (const o of request.orderBy ?? []) {
    if (o.expr.kind !== 'field') {
      orderDiagnostics.push({ message: 'without group_by, order_by takes field names (with ASC or DESC)', start: o.location.start });
      continue;
    }
    const f = lookupField(schema, o.expr.name);
    if (f === undefined) {
      const p = unknownFieldProblem(schema, o.expr.name);
      orderDiagnostics.push({ message: p.message, start: o.expr.location.start, details: p.details });
      continue;
    }
    if (f.type === 'geo_point_2d' || f.type === 'geo_shape' || f.type === 'file') {
      orderDiagnostics.push({ message: `a ${f.type} field cannot be sorted`, start: o.expr.location.start });
      continue;
    }
    if (f.paths.lower) sort.push({ [f.paths.lower]: o.direction }, { [f.paths.keyword!]: o.direction });
    else sort.push({ [f.paths.keyword ?? f.paths.value]: o.direction });
  }
  if (orderDiagnostics.length > 0) throw semanticError(request.orderByText, { parameter: 'order_by' }, orderDiagnostics);
  sort.push({ [RECORD_ID_PATH]: 'asc' });

  const seen = new Set<string>();
  const unique = columns.filter((c) => (seen.has(c.label) ? false : (seen.add(c.label), true)));
  return {
    sort,
    labels: unique.map((c) => c.label),
    project: (doc) => {
      const row: Record<string, unknown> = {};
      for (const c of unique) row[c.label] = c.value(doc);
      return row;
    },
  };
}
