/**
 * Date and datetime facets are always hierarchical (docs/v1-api.md, Facets): year → month → day, paths
 * `2012`, `2012/09`, `2012/09/11`, names zero-padded. Datetimes are bucketed in the request timezone;
 * `date` fields are calendar days, bucketed in UTC (where they are stored).
 *
 * Aggregation: `l` = the years; then, for every refined path and each of its ancestors, `e<i>` =
 * a filter on that period holding a date_histogram of the next level. With a conjunctive refine the
 * years already shrink to the refined one; a disjunctive facet ignores its own refines, so every year
 * is listed and only the refined chains are opened. The depth stops at the field's
 * `timeserie_precision` (year, month; day otherwise: v1 shows no level below the day).
 *
 * Refines are explicit [start, next) ranges computed here, never partial dates handed to OpenSearch
 * (docs/opensearch-design.md, One filter compiler for every endpoint: a partial `lte` is rounded to the first day of the period).
 */
import type { FieldDescriptor } from '../../datasets/descriptor';
import { annotation } from '../../datasets/descriptor';
import { badParameter } from '../../errors';
import { valuePath } from '../../datasets/field-paths';
import { type Clause, type FacetContext, type FacetKind, type FacetSpec, anyOf, readBuckets } from './facet-kind';
import { periodBounds } from './date-periods';

const LEVELS = [
  { interval: 'year', format: 'yyyy' },
  { interval: 'month', format: 'yyyy/MM' },
  { interval: 'day', format: 'yyyy/MM/dd' },
] as const;

/** The deepest level shown: 1 = years, 2 = months, 3 = days. */
export function maxDepth(field: FieldDescriptor): number {
  const precision = annotation(field, 'timeserie_precision')?.args?.[0];
  if (precision === 'year') return 1;
  if (precision === 'month') return 2;
  return 3;
}

/** `date` fields are calendar days: their periods are UTC days whatever the request timezone. */
export const bucketZone = (field: FieldDescriptor, ctx: FacetContext): string => (field.type === 'date' ? 'UTC' : ctx.timezone);

const PATH = /^(\d{4})(?:[/-](\d{1,2})(?:[/-](\d{1,2}))?)?$/;

const ancestors = (path: string): string[] => {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
};

/** Every refined path with its ancestors, shallow first, without repeats, above the deepest level. */
export function expansions(spec: FacetSpec): string[] {
  const depth = maxDepth(spec.field);
  const out = new Set<string>();
  for (const r of spec.refines) for (const p of ancestors(r)) if (p.split('/').length < depth) out.add(p);
  return [...out];
}

function histogram(field: FieldDescriptor, depth: number, ctx: FacetContext): Clause {
  const level = LEVELS[depth - 1] ?? LEVELS[2];
  return {
    date_histogram: {
      field: valuePath(field.name),
      calendar_interval: level.interval,
      format: level.format,
      time_zone: bucketZone(field, ctx),
      min_doc_count: 1,
    },
  };
}

function rangeOf(field: FieldDescriptor, path: string, ctx: FacetContext): Clause {
  const bounds = periodBounds(path, field, bucketZone(field, ctx));
  // Paths are validated by normalize(); an invalid one here would be a bug, not a user error.
  if (!bounds) throw new Error(`invalid date facet path ${path}`);
  return { range: { [valuePath(field.name)]: bounds } };
}

export const dateFacet: FacetKind = {
  normalize(_field, value, parameter) {
    const m = PATH.exec(value.trim());
    const [y, mo, d] = [m?.[1], m?.[2], m?.[3]];
    const path = [y, mo?.padStart(2, '0'), d?.padStart(2, '0')].filter((s): s is string => s !== undefined).join('/');
    if (!m || !periodBounds(path, { name: 'x', label: 'x', type: 'date' }, 'UTC')) {
      throw badParameter(parameter, `expected a date path YYYY, YYYY/MM or YYYY/MM/DD (or YYYY-MM-DD), got "${value.slice(0, 80)}"`);
    }
    return path;
  },
  chain: (_field, path) => ancestors(path),
  parentOf: (_field, path) => path.split('/').slice(0, -1).join('/'),
  nameOf: (_field, path) => path.split('/').pop() ?? path,
  toFilter: (field, paths, ctx) => anyOf(paths.map((p) => rangeOf(field, p, ctx))),
  toAggregation(spec, ctx) {
    const aggs: Record<string, Clause> = { l: histogram(spec.field, 1, ctx) };
    expansions(spec).forEach((p, i) => {
      aggs[`e${i}`] = { filter: rangeOf(spec.field, p, ctx), aggs: { l: histogram(spec.field, p.split('/').length + 1, ctx) } };
    });
    return aggs;
  },
  fromAggregation(spec, aggs) {
    const levels = new Map([['', readBuckets(aggs.l)]]);
    expansions(spec).forEach((p, i) => levels.set(p, readBuckets((aggs[`e${i}`] as { l?: unknown } | undefined)?.l)));
    return { levels, selected: new Map() };
  },
};
