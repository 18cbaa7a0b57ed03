/**
 * Reading a field reference and a value for that field's type: the semantics shared by field
 * comparisons, ranges and the functions. Problems go to `env.report` with their position; the
 * functions then return undefined.
 */
import type { FieldRef, LocationRange, Position, TextValue, ValueNode } from '../ast';
import type { PassEnv } from '../context';
import { instantPeriod, literalPeriod, type Period } from '../dates';
import { evaluateNow } from '../now';
import { lookupField, unknownFieldProblem, type ResolvedField } from '../resolve-field';

export type Scalar =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'period'; period: Period }
  | { kind: 'any' };

/** The field named by `ref`, or undefined after reporting it as unknown (hidden fields included). */
export function fieldOf(ref: FieldRef, env: PassEnv): ResolvedField | undefined {
  const field = lookupField(env.schema, ref.name);
  if (field === undefined) {
    const problem = unknownFieldProblem(env.schema, ref.name);
    env.report(problem.message, ref.location, problem.details);
  }
  return field;
}

/** Describes a field in messages: `int field "population"`. */
export function describeField(f: ResolvedField): string {
  return `${f.type} field "${f.name}"`;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value of `value` for a text, numeric or date field. (Geo and file fields take no scalar
 * values; callers refuse them before asking.)
 */
export function scalarFor(field: ResolvedField, value: ValueNode, env: PassEnv): Scalar | undefined {
  if (value.kind === 'any') return { kind: 'any' };
  switch (field.type) {
    case 'date':
    case 'datetime':
      return value.kind === 'now' ? nowPeriod(field, value.args, value.location, env) : datePeriod(field, value, env);
    case 'int':
    case 'double': {
      if (value.kind === 'now') return refuseNow(field, value.location, env);
      const text = value.text.trim();
      const n = Number(text);
      const integer = field.type === 'int';
      if (!NUMBER.test(text) || !Number.isFinite(n) || (integer && !Number.isSafeInteger(n))) {
        env.report(
          `${JSON.stringify(clip(value.text))} is not a valid value for ${describeField(field)}: expected ${integer ? 'an integer' : 'a number'}`,
          value.location,
          { field: field.name, expected: integer ? 'integer' : 'number' },
        );
        return undefined;
      }
      return { kind: 'number', value: n };
    }
    case 'text':
      if (value.kind === 'now') return refuseNow(field, value.location, env);
      return { kind: 'text', text: value.text };
    default:
      env.report(`${describeField(field)} takes no value here`, value.location, { field: field.name });
      return undefined;
  }
}

function refuseNow(field: ResolvedField, at: LocationRange, env: PassEnv): undefined {
  env.report(`#now() can only be compared with a date or datetime field, not with ${describeField(field)}`, at, {
    field: field.name,
  });
  return undefined;
}

function datePeriod(field: ResolvedField, value: TextValue, env: PassEnv): Scalar | undefined {
  const kind = field.type === 'date' ? 'date' : 'datetime';
  const r = literalPeriod(value.text, kind, env.zone, value.date);
  if (r.ok) return { kind: 'period', period: r.period };
  const at = shift(value.location, (value.quoted ? 1 : 0) + r.offset);
  env.report(`invalid date ${JSON.stringify(clip(value.text))} for ${describeField(field)}: ${r.problem}`, at, {
    field: field.name,
    expected: 'date',
  });
  return undefined;
}

function nowPeriod(field: ResolvedField, args: Parameters<typeof evaluateNow>[0], at: LocationRange, env: PassEnv): Scalar | undefined {
  const r = evaluateNow(args, env.now, env.zone, at);
  if (!r.ok) {
    for (const p of r.problems) env.report(p.message, p.location);
    return undefined;
  }
  const period = instantPeriod(r.ms, field.type === 'date' ? 'date' : 'datetime', env.zone);
  if (period === undefined) {
    env.report('#now(...) falls outside years 0000-9999', at);
    return undefined;
  }
  return { kind: 'period', period };
}

/** A location moved `delta` characters right on the same line (for problems inside a value). */
export function shift(at: LocationRange, delta: number): LocationRange {
  const start: Position = { offset: at.start.offset + delta, line: at.start.line, column: at.start.column + delta };
  return { ...at, start };
}

/** User text quoted in messages is cut short: error bodies stay small. */
export function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
