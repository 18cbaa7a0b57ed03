/**
 * Buckets read back by a facet kind → the v1 facet values (docs/v1-api.md, Facets):
 * `{name, path, count, state, facets?}`, where
 * - `state` is `refined` for a refined path and each of its ancestors, `excluded` for an excluded
 *   path, `displayed` otherwise;
 * - a level is nested under its parent only when the parent was opened (refined);
 * - refined and excluded values are always listed at a shown level, with a count of 0 when they have
 *   no hit in the facet's context, even past the MAX_FACET_VALUES cut;
 * - values are ordered by the facet's facetsort (`-` = descending, as ods-widgets documents it),
 *   ties broken by name.
 */
import type { FacetSort } from '../search-request';
import type { FacetBuckets, FacetContext, FacetKind, FacetSpec } from './facet-kind';

export type FacetState = 'displayed' | 'refined' | 'excluded';

export interface FacetValue {
  name: string;
  path: string;
  count: number;
  state: FacetState;
  facets?: FacetValue[];
}

// Natural order ("9" before "10"), then code units so the order never depends on the locale data.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
const byName = (a: FacetValue, b: FacetValue): number => collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const asNumber = (v: FacetValue): number => {
  const n = Number(v.name);
  return Number.isFinite(n) ? n : Number.NaN;
};

/** Numeric order; values that are not numbers go last, by name. */
function byNumber(a: FacetValue, b: FacetValue, sign: 1 | -1): number {
  const [x, y] = [asNumber(a), asNumber(b)];
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? byName(a, b) : Number.isNaN(x) ? 1 : -1;
  return sign * (x - y) || byName(a, b);
}

export function compareFacetValues(sort: FacetSort): (a: FacetValue, b: FacetValue) => number {
  switch (sort) {
    case 'count':
      return (a, b) => a.count - b.count || byName(a, b);
    case '-count':
      return (a, b) => b.count - a.count || byName(a, b);
    case 'alphanum':
      return byName;
    case '-alphanum':
      return (a, b) => byName(b, a);
    case 'num':
      return (a, b) => byNumber(a, b, 1);
    case '-num':
      return (a, b) => byNumber(a, b, -1);
  }
}

export function buildFacetTree(kind: FacetKind, spec: FacetSpec, buckets: FacetBuckets, ctx: FacetContext): FacetValue[] {
  const field = spec.field;
  const refined = new Set(spec.refines.flatMap((r) => kind.chain(field, r)));
  const excluded = new Set(spec.excludes);
  const required = new Set([...refined, ...excluded]);
  const compare = compareFacetValues(spec.sort);
  const stateOf = (path: string): FacetState => (excluded.has(path) ? 'excluded' : refined.has(path) ? 'refined' : 'displayed');

  const levelValues = (parent: string): FacetValue[] => {
    const counts = new Map((buckets.levels.get(parent) ?? []).map((b) => [b.path, b.count]));
    for (const p of required) {
      if (!counts.has(p) && kind.parentOf(field, p) === parent) counts.set(p, buckets.selected.get(p) ?? 0);
    }
    const values = [...counts].map(([path, count]) => ({ name: kind.nameOf(field, path), path, count, state: stateOf(path) }));
    const kept = values.sort(compare).filter((v, i) => i < ctx.maxValues || required.has(v.path));
    return kept.map((v) => {
      const children = buckets.levels.has(v.path) ? levelValues(v.path) : [];
      return children.length > 0 ? { ...v, facets: children } : v;
    });
  };
  return levelValues('');
}
