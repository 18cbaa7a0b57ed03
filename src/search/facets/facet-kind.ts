/**
 * A facet is three functions (docs/architecture.md, habit 5; Searchkit's CustomFacetConfig, github.com/searchkit/searchkit):
 * how to filter on a value (refine/exclude), how to aggregate, how to read the result back.
 * One module per kind: terms (text, multivalued text, numbers), date (year → month → day), path
 * (text annotated `hierarchical`). The tree building, states and ordering shared by all kinds live
 * in facet-tree.ts.
 */
import type { FieldDescriptor } from '../../datasets/descriptor';
import type { OsQuery } from '../../query/to-dsl/dsl';
import type { FacetSort } from '../search-request';

/** A query clause: the compiler's OsQuery (src/query/to-dsl/dsl.ts owns the type), under the name search code uses. */
export type Clause = OsQuery;

/** The name of a facet's aggregation in the search body. */
export const facetAggName = (facet: string): string => `f:${facet}`;

export type FacetKindName = 'terms' | 'date' | 'path';

/** Everything known about one facet (or refined/excluded field) of a request. */
export interface FacetSpec {
  name: string;
  field: FieldDescriptor;
  kind: FacetKindName;
  /** Normalised refine paths, as sent (a leaf date refine is not expanded here). */
  refines: string[];
  excludes: string[];
  disjunctive: boolean;
  /**
   * Its values are computed (a facet group) and its excludes go to post_filter: asked with `facet=`,
   * or refined/excluded on a field annotated `facet` (facet-specs.ts).
   */
  requested: boolean;
  sort: FacetSort;
}

export interface FacetContext {
  /** The request timezone (datetime facets are bucketed in it; date facets in UTC). */
  timezone: string;
  /** Values kept per level (MAX_FACET_VALUES); refined and excluded values are kept on top. */
  maxValues: number;
}

/** One bucket read back: its path and count. */
export interface Bucket {
  path: string;
  count: number;
}

/**
 * What a kind reads from its aggregation: the buckets of each level keyed by the parent path ('' for
 * the top level), and the counts of refined/excluded paths found by a dedicated lookup.
 */
export interface FacetBuckets {
  levels: Map<string, Bucket[]>;
  selected: Map<string, number>;
}

export interface FacetKind {
  /** A refine/exclude value → its canonical path; throws a 400 naming `parameter` when invalid. */
  normalize(field: FieldDescriptor, value: string, parameter: string): string;
  /** Paths a refine stands for, itself last (a date `2019/09/27` is also `2019` and `2019/09`). */
  chain(field: FieldDescriptor, path: string): string[];
  /** The parent path of a value ('' at the top level). */
  parentOf(field: FieldDescriptor, path: string): string;
  /** The display name of a value (the last path segment). */
  nameOf(field: FieldDescriptor, path: string): string;
  /** A filter matching any of the paths (one path: a plain term/range). */
  toFilter(field: FieldDescriptor, paths: string[], ctx: FacetContext): Clause;
  /** The aggregations computing the facet (wrapped by the caller in the facet's own filter). */
  toAggregation(spec: FacetSpec, ctx: FacetContext): Record<string, Clause>;
  /** Reads back what toAggregation asked for. */
  fromAggregation(spec: FacetSpec, aggs: Record<string, unknown>): FacetBuckets;
}

/** One clause when there is one, else a bool.should needing one match. */
export function anyOf(clauses: Clause[]): Clause {
  if (clauses.length === 1 && clauses[0]) return clauses[0];
  return { bool: { should: clauses, minimum_should_match: 1 } };
}

interface RawBucket {
  key?: unknown;
  key_as_string?: unknown;
  doc_count?: unknown;
}

/** The buckets of a terms/date_histogram result, as (path, count). */
export function readBuckets(agg: unknown): Bucket[] {
  const buckets = (agg as { buckets?: RawBucket[] } | undefined)?.buckets ?? [];
  return buckets.map((b) => ({
    path: typeof b.key_as_string === 'string' ? b.key_as_string : String(b.key),
    count: typeof b.doc_count === 'number' ? b.doc_count : 0,
  }));
}

/** Counts of a `sel` lookup (terms with an exact include list), keyed by path. */
export function readSelected(agg: unknown): Map<string, number> {
  return new Map(readBuckets(agg).map((b) => [b.path, b.count]));
}
