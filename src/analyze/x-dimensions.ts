/**
 * `x` → the dimensions analyze groups by (docs/v1-api.md, Analyze):
 * - a text, int or double field: its values (text on its exact keyword);
 * - a date or datetime field given bare: parts from `precision` and `periodic` (date-parts.ts);
 * - date parts `x=f.year&x=f.month` (also day, hour, minute, second, week, weekday, yearday): the
 *   parts of one field, in the order given;
 * - several fields: one dimension each, in the order of their first `x`.
 *
 * Field names are looked up as everywhere (a hidden field is an unknown field, answered with v1's words). A date field is bucketed
 * in UTC (its values are calendar days); a datetime in `timezone`, its parts read in
 * `output_timezone` (default: `timezone`).
 */
import { annotation, isDateType } from '../datasets/descriptor';
import { badParameter, GatewayError } from '../errors';
import { lookupField, type QuerySchema, type ResolvedField, unknownFieldProblem } from '../query/resolve-field';
import type { ParamSource } from '../search/search-request';
import {
  type CalendarUnit,
  clampPrecision,
  DATE_PARTS,
  type DatePart,
  intervalFor,
  isChain,
  PERIODICS,
  type Periodic,
  partsFor,
  PRECISIONS,
  type Precision,
} from './date-parts';

export interface ValueDimension {
  kind: 'value';
  /** The field name: the key of this dimension in a several-field x object. */
  name: string;
  /** The keyword or numeric path grouped on. */
  path: string;
}

export interface DateDimension {
  kind: 'date';
  name: string;
  path: string;
  parts: DatePart[];
  unit: CalendarUnit;
  /** Zone of the histogram's calendar (UTC for date fields). */
  zone: string;
  /** Zone the parts are read in. */
  outputZone: string;
  /** True when buckets map one-to-one, in order, onto their parts (no fold). */
  chain: boolean;
}

export type Dimension = ValueDimension | DateDimension;

export interface DimensionOptions {
  timezone: string;
  outputTimezone: string;
}

const MAX_DIMENSIONS = 10;

/** A date field's finest precision: its `timeserie_precision` annotation, and at most day for `date`. */
function maxPrecisionOf(f: ResolvedField): string | undefined {
  const arg = annotation(f.descriptor, 'timeserie_precision')?.args?.[0];
  const fromAnnotation = typeof arg === 'string' ? arg : undefined;
  if (f.type === 'date') return fromAnnotation !== undefined && fromAnnotation !== 'hour' && fromAnnotation !== 'minute' ? fromAnnotation : 'day';
  return fromAnnotation;
}

/** `f.part` when f is a visible date field and part a date part; undefined otherwise. */
function splitPart(schema: QuerySchema, raw: string): { field: ResolvedField; part: string } | undefined {
  const dot = raw.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const field = lookupField(schema, raw.slice(0, dot));
  if (field === undefined || !isDateType(field.type)) return undefined;
  return { field, part: raw.slice(dot + 1) };
}

/**
 * An unknown (or hidden) `x` field: the v1 wording, `Unknown facet name '<f>'` (a public ods-widgets
 * page recipe quotes it as v1's answer to an analyze on an undeclared field), with the closest
 * known fields as for any unknown field.
 */
function unknownX(schema: QuerySchema, name: string): never {
  const problem = unknownFieldProblem(schema, name);
  throw new GatewayError('bad_parameter', `Unknown facet name '${name.length > 64 ? `${name.slice(0, 64)}…` : name}'`, {
    extra: { parameter: 'x', ...problem.details },
  });
}

export function readDimensions(params: ParamSource, schema: QuerySchema, options: DimensionOptions): Dimension[] {
  const xs = params.getAll('x').map((s) => s.trim()).filter((s) => s.length > 0);
  // Per field, in order of first appearance: the explicit parts asked, or null when given bare.
  const order: ResolvedField[] = [];
  const parts = new Map<string, DatePart[] | null>();
  for (const raw of xs) {
    const split = splitPart(schema, raw);
    if (split) {
      const part = DATE_PARTS.find((p) => p === split.part.toLowerCase());
      if (!part) throw badParameter('x', `"${split.part.slice(0, 40)}" is not a date part of "${split.field.name}"; expected one of ${DATE_PARTS.join(', ')}`);
      if (!parts.has(split.field.name)) order.push(split.field);
      const list = parts.get(split.field.name) ?? [];
      if (!list.includes(part)) list.push(part);
      parts.set(split.field.name, list);
      continue;
    }
    const field = lookupField(schema, raw) ?? unknownX(schema, raw);
    if (!parts.has(field.name)) {
      order.push(field);
      parts.set(field.name, null);
    }
  }
  if (order.length > MAX_DIMENSIONS) throw badParameter('x', `at most ${MAX_DIMENSIONS} fields`);
  const precision = params.oneOf<Precision>('precision', PRECISIONS, 'day');
  const periodic = params.oneOf<Periodic>('periodic', PERIODICS, 'year');
  return order.map((field) => dimensionOf(field, parts.get(field.name) ?? null, precision, periodic, options));
}

function dimensionOf(field: ResolvedField, explicit: DatePart[] | null, precision: Precision, periodic: Periodic, options: DimensionOptions): Dimension {
  switch (field.type) {
    case 'text':
      return { kind: 'value', name: field.name, path: field.paths.keyword ?? field.paths.value };
    case 'int':
    case 'double':
      return { kind: 'value', name: field.name, path: field.paths.value };
    case 'date':
    case 'datetime': {
      const dateParts = explicit ?? partsFor(clampPrecision(precision, maxPrecisionOf(field)), periodic);
      const unit = intervalFor(dateParts);
      const zone = field.type === 'date' ? 'UTC' : options.timezone;
      const outputZone = field.type === 'date' ? 'UTC' : options.outputTimezone;
      return {
        kind: 'date',
        name: field.name,
        path: field.paths.value,
        parts: dateParts,
        unit,
        zone,
        outputZone,
        chain: isChain(dateParts, unit) && zone === outputZone,
      };
    }
    default:
      throw badParameter('x', `the ${field.type} field "${field.name}" cannot be used as x (text, int, double, date and datetime can)`);
  }
}
