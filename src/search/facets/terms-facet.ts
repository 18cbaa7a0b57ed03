/**
 * Flat facets: text (exact value on `.keyword`; a multivalued field stores a list, so a record
 * counts once under each of its values) and numbers (int, double: the value itself).
 *
 * Aggregation (docs/opensearch-design.md, Facets): `l` = the top values in the
 * facetsort order, `sel` = the refined/excluded values with their counts even when they fall outside
 * the top (min_doc_count 0).
 */
import type { FieldDescriptor } from '../../datasets/descriptor';
import { isNumericType } from '../../datasets/descriptor';
import { badParameter } from '../../errors';
import { keywordPath, valuePath } from '../../datasets/field-paths';
import type { FacetSort } from '../search-request';
import { type Clause, type FacetKind, readBuckets, readSelected } from './facet-kind';

const fieldOf = (f: FieldDescriptor): string => (f.type === 'text' ? keywordPath(f.name) : valuePath(f.name));

/**
 * The order asked of OpenSearch. The gateway re-sorts anyway (facet-tree.ts); this decides which
 * values make the top N. For `num` on text the key order is lexicographic, an approximation only
 * when a facet has more than MAX_FACET_VALUES values.
 */
export function termsOrder(sort: FacetSort): Record<string, string>[] {
  switch (sort) {
    case '-count':
      return [{ _count: 'desc' }, { _key: 'asc' }];
    case 'count':
      return [{ _count: 'asc' }, { _key: 'asc' }];
    case 'alphanum':
    case 'num':
      return [{ _key: 'asc' }];
    case '-alphanum':
    case '-num':
      return [{ _key: 'desc' }];
  }
}

const toValue = (f: FieldDescriptor, path: string): string | number => (isNumericType(f.type) ? Number(path) : path);

export const termsFacet: FacetKind = {
  normalize(field, value, parameter) {
    if (!isNumericType(field.type)) return value;
    const s = value.trim();
    const n = Number(s);
    const ok = s !== '' && Number.isFinite(n) && (field.type === 'double' || Number.isSafeInteger(n));
    if (!ok) throw badParameter(parameter, `expected ${field.type === 'int' ? 'an integer' : 'a number'}, got "${value.slice(0, 80)}"`);
    return String(n);
  },
  chain: (_field, path) => [path],
  parentOf: () => '',
  nameOf: (_field, path) => path,
  toFilter(field, paths): Clause {
    const values = paths.map((p) => toValue(field, p));
    if (values.length === 1) return { term: { [fieldOf(field)]: values[0] as string | number } };
    return { terms: { [fieldOf(field)]: values } };
  },
  toAggregation(spec, ctx) {
    const field = fieldOf(spec.field);
    const aggs: Record<string, Clause> = {
      l: { terms: { field, size: ctx.maxValues, order: termsOrder(spec.sort) } },
    };
    const selected = [...new Set([...spec.refines, ...spec.excludes])];
    if (selected.length > 0) {
      const include = selected.map((p) => toValue(spec.field, p));
      aggs.sel = { terms: { field, include, min_doc_count: 0, size: selected.length } };
    }
    return aggs;
  },
  fromAggregation(_spec, aggs) {
    return { levels: new Map([['', readBuckets(aggs.l)]]), selected: readSelected(aggs.sel) };
  },
};
