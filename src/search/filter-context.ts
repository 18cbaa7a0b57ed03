/**
 * The filtering context shared by every endpoint (docs/opensearch-design.md: One filter compiler for every endpoint, Facets):
 *
 * - `query`: q (scored, in `must`), geofilters, conjunctive refines, and the refines/excludes of
 *   facets not requested in this call;
 * - `post_filter`: what some facet aggregation must ignore: the refines of requested disjunctive
 *   facets (ORed inside the facet) and the excludes of requested facets (so an excluded value is
 *   still listed, with state `excluded`);
 * - one filter per requested facet: the post_filter clauses of the other facets.
 *
 * Hits and nhits respect query + post_filter; facet F is counted over query ∩ (post_filter minus F's
 * own clauses). Endpoints without facets put the post_filter into the query (`flatten`).
 */
import type { Clause, FacetContext, FacetSpec } from './facets/facet-kind';
import { FACET_KINDS } from './facets/facet-specs';

export interface BaseFilters {
  /** Scored clauses: the compiled q. */
  must: Clause[];
  /** Unscored clauses: geofilters. */
  filter: Clause[];
}

export interface FilterContext {
  query: Clause;
  postFilter: Clause | undefined;
  /** The aggregation filter of each requested facet, by facet name. */
  facetFilters: Map<string, Clause>;
}

interface Owned {
  owner: string;
  clause: Clause;
  negated: boolean;
}

export const MATCH_ALL: Clause = { match_all: {} };

/** A bool with only its non-empty parts; match_all when there is nothing to say. */
export function boolOf(must: Clause[], filter: Clause[], mustNot: Clause[]): Clause {
  if (must.length === 0 && filter.length === 0 && mustNot.length === 0) return MATCH_ALL;
  const bool: Record<string, Clause[]> = {};
  if (must.length > 0) bool.must = must;
  if (filter.length > 0) bool.filter = filter;
  if (mustNot.length > 0) bool.must_not = mustNot;
  return { bool };
}

const boolOfOwned = (owned: Owned[]): Clause =>
  boolOf(
    [],
    owned.filter((o) => !o.negated).map((o) => o.clause),
    owned.filter((o) => o.negated).map((o) => o.clause),
  );

export function filterContext(base: BaseFilters, specs: FacetSpec[], ctx: FacetContext): FilterContext {
  const filter = [...base.filter];
  const mustNot: Clause[] = [];
  const post: Owned[] = [];
  for (const s of specs) {
    const kind = FACET_KINDS[s.kind];
    if (s.refines.length > 0) {
      if (s.disjunctive) {
        const clause = kind.toFilter(s.field, s.refines, ctx);
        if (s.requested) post.push({ owner: s.name, clause, negated: false });
        else filter.push(clause);
      } else {
        // Several refines of a conjunctive facet are ANDed (v1 doc: refine 2020 and 2021 → no hit).
        for (const r of s.refines) filter.push(kind.toFilter(s.field, [r], ctx));
      }
    }
    if (s.excludes.length > 0) {
      const clause = kind.toFilter(s.field, s.excludes, ctx);
      if (s.requested) post.push({ owner: s.name, clause, negated: true });
      else mustNot.push(clause);
    }
  }
  const facetFilters = new Map<string, Clause>();
  for (const s of specs) if (s.requested) facetFilters.set(s.name, boolOfOwned(post.filter((o) => o.owner !== s.name)));
  return {
    query: boolOf(base.must, filter, mustNot),
    postFilter: post.length > 0 ? boolOfOwned(post) : undefined,
    facetFilters,
  };
}

/** For endpoints without facets: one query holding everything (post_filter folded in). */
export function flatten(fc: FilterContext): Clause {
  if (!fc.postFilter) return fc.query;
  return { bool: { must: [fc.query], filter: [fc.postFilter] } };
}
