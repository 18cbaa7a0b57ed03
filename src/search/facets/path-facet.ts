/**
 * Text facets annotated `hierarchical` (docs/v1-api.md, Facets): a value "A/B/C" is stored with its
 * ancestors in `__paths.<name>` (A, A/B, A/B/C), so a refine on "A" is one term and matches every
 * descendant.
 *
 * Aggregation (docs/opensearch-design.md, Facets): one terms per shown
 * level on `__paths.<name>`, restricted by regexes on the whole term: the top level excludes every
 * term holding a separator; the level under P includes `P<sep>.*` and excludes deeper terms. The
 * include/exclude pair works for separators of any length. `sel` counts refined/excluded paths
 * that fall outside a level's top N.
 */
import type { FieldDescriptor } from '../../datasets/descriptor';
import { hierarchySeparator } from '../../datasets/descriptor';
import { ancestorPathsPath } from '../../datasets/field-paths';
import type { Json } from '../../query/to-dsl/dsl';
import { type Clause, type FacetContext, type FacetKind, type FacetSpec, readBuckets, readSelected } from './facet-kind';
import { termsOrder } from './terms-facet';

const sepOf = (f: FieldDescriptor): string => hierarchySeparator(f) ?? '/';

/**
 * Escapes a literal for a Lucene RegExp: every character but ASCII letters and digits gets a
 * backslash (a backslash before any character means that character, including non-ASCII ones).
 */
export function escapeRegExp(literal: string): string {
  let out = '';
  for (const ch of literal) out += /[A-Za-z0-9]/.test(ch) ? ch : `\\${ch}`;
  return out;
}

const chainOf = (path: string, sep: string): string[] => {
  const parts = path.split(sep);
  return parts.map((_, i) => parts.slice(0, i + 1).join(sep));
};

/** Refined paths and their ancestors, shallow first, without repeats: the levels opened. */
export function pathExpansions(spec: FacetSpec): string[] {
  const sep = sepOf(spec.field);
  return [...new Set(spec.refines.flatMap((r) => chainOf(r, sep)))];
}

function level(spec: FacetSpec, parent: string | undefined, ctx: FacetContext): Clause {
  const sep = escapeRegExp(sepOf(spec.field));
  const prefix = parent === undefined ? '' : `${escapeRegExp(parent)}${sep}`;
  const terms: Record<string, Json> = { field: ancestorPathsPath(spec.field.name) };
  if (parent !== undefined) terms.include = `${prefix}.*`;
  terms.exclude = `${prefix}.*${sep}.*`;
  terms.size = ctx.maxValues;
  terms.order = termsOrder(spec.sort);
  return { terms };
}

export const pathFacet: FacetKind = {
  normalize: (_field, value) => value,
  chain: (field, path) => chainOf(path, sepOf(field)),
  parentOf(field, path) {
    const sep = sepOf(field);
    const i = path.lastIndexOf(sep);
    return i < 0 ? '' : path.slice(0, i);
  },
  nameOf(field, path) {
    const sep = sepOf(field);
    const i = path.lastIndexOf(sep);
    return i < 0 ? path : path.slice(i + sep.length);
  },
  toFilter(field, paths): Clause {
    const name = ancestorPathsPath(field.name);
    return paths.length === 1 ? { term: { [name]: paths[0] as string } } : { terms: { [name]: paths } };
  },
  toAggregation(spec, ctx) {
    const aggs: Record<string, Clause> = { l: level(spec, undefined, ctx) };
    pathExpansions(spec).forEach((p, i) => {
      aggs[`e${i}`] = level(spec, p, ctx);
    });
    const selected = [...new Set([...spec.refines, ...spec.excludes])];
    if (selected.length > 0) {
      aggs.sel = { terms: { field: ancestorPathsPath(spec.field.name), include: selected, min_doc_count: 0, size: selected.length } };
    }
    return aggs;
  },
  fromAggregation(spec, aggs) {
    const levels = new Map([['', readBuckets(aggs.l)]]);
    pathExpansions(spec).forEach((p, i) => levels.set(p, readBuckets(aggs[`e${i}`])));
    return { levels, selected: readSelected(aggs.sel) };
  },
};
