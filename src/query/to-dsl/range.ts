/**
 * Comparisons and ranges: `f > v`, `f <= v`, `f:[a TO b]`, and equality on dates.
 *
 * - Numbers compare as numbers, text lexicographically on the exact `.keyword` (case-sensitive,
 *   by code point), dates by the periods dates.ts computes: a period's start for `>=` and `<`,
 *   its end (`next`) for `>` and `<=`, and `[start, next)` for equality.
 * - `f:[a TO b]` is inclusive at both ends (for a date, `b`'s whole period); `*` leaves an end open.
 */
import type { CompareOp, RangeNode } from '../ast';
import type { PassEnv } from '../context';
import type { Period } from '../dates';
import type { ResolvedField } from '../resolve-field';
import { matchNone, type Json, type OsQuery } from './dsl';
import { describeField, fieldOf, scalarFor, type Scalar } from './scalar';

/** Types a value can be compared with (geo and file fields cannot). */
export const COMPARABLE_TYPES: ReadonlySet<string> = new Set(['text', 'int', 'double', 'date', 'datetime']);

type Bounds = { gt?: Json; gte?: Json; lt?: Json; lte?: Json };

export function exists(path: string): OsQuery {
  return { exists: { field: path } };
}

export function rangeQuery(path: string, bounds: Bounds): OsQuery {
  return Object.keys(bounds).length === 0 ? exists(path) : { range: { [path]: bounds } };
}

/** Where a field is compared: the value itself, or the exact keyword of a text field. */
export function comparisonPath(field: ResolvedField): string {
  return field.type === 'text' ? (field.paths.keyword ?? field.paths.value) : field.paths.value;
}

/** A date compared with a period. Past year 9999 (`next` null), ranges stay open. */
export function comparePeriod(path: string, op: CompareOp, p: Period): OsQuery {
  switch (op) {
    case ':':
    case '=':
    case '==':
      return rangeQuery(path, p.next === null ? { gte: p.start } : { gte: p.start, lt: p.next });
    case '>':
      return p.next === null ? matchNone() : rangeQuery(path, { gte: p.next });
    case '>=':
      return rangeQuery(path, { gte: p.start });
    case '<':
      return rangeQuery(path, { lt: p.start });
    case '<=':
      return rangeQuery(path, p.next === null ? {} : { lt: p.next });
  }
}

/** `>`, `>=`, `<`, `<=` on a number or a string. */
export function compareOrdered(path: string, op: '>' | '>=' | '<' | '<=', value: string | number): OsQuery {
  const key = ({ '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const)[op];
  return rangeQuery(path, { [key]: value });
}

interface ResolvedRange {
  field: ResolvedField;
  from: Scalar;
  to: Scalar;
}

function resolveRange(node: RangeNode, env: PassEnv): ResolvedRange | undefined {
  const field = fieldOf(node.field, env);
  if (field === undefined) return undefined;
  if (!COMPARABLE_TYPES.has(field.type)) {
    env.report(`${describeField(field)} has no order: [a TO b] works on text, numbers and dates`, node.field.location, {
      field: field.name,
    });
    return undefined;
  }
  const from = scalarFor(field, node.from, env);
  const to = scalarFor(field, node.to, env);
  return from === undefined || to === undefined ? undefined : { field, from, to };
}

export function checkRange(node: RangeNode, env: PassEnv): void {
  resolveRange(node, env);
}

export function rangeToDsl(node: RangeNode, env: PassEnv): OsQuery {
  const r = resolveRange(node, env);
  if (r === undefined) return matchNone();
  const bounds: Bounds = {};
  if (r.from.kind === 'period') bounds.gte = r.from.period.start;
  else if (r.from.kind === 'number') bounds.gte = r.from.value;
  else if (r.from.kind === 'text') bounds.gte = r.from.text;
  if (r.to.kind === 'period') {
    if (r.to.period.next !== null) bounds.lt = r.to.period.next;
  } else if (r.to.kind === 'number') bounds.lte = r.to.value;
  else if (r.to.kind === 'text') bounds.lte = r.to.text;
  return rangeQuery(comparisonPath(r.field), bounds);
}
