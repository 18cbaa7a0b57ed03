/**
 * AND, OR, NOT → `bool`, kept flat: a bool nested in a bool of the same kind is merged into its
 * parent, so `a OR b OR ... (1000 terms)` is one `bool.should` of 1000 clauses, and repeated `q`
 * values ANDed together are one `bool.must`. The JSON depth is then bounded by the number of
 * alternations between operators (limited by maxDepth), never by the number of terms: the bug
 * OpenSearch Dashboards' right-recursive DQL grammar had (docs/security.md, Attack suite).
 *
 * Also: `x AND NOT y` puts y in `must_not` beside x; NOT NOT x is x; match_all and "match
 * nothing" are absorbed (a AND everything = a; a OR nothing = a).
 */
import { isMatchAll, isMatchNone, isObject, matchAll, matchNone, type Json, type OsQuery } from './dsl';

type BoolBody = { [key: string]: Json };

/** The body of `{bool: body}` when the query is only that, else undefined. */
function boolBody(q: OsQuery): BoolBody | undefined {
  if (Object.keys(q).length !== 1) return undefined;
  const body = q.bool;
  return isObject(body) ? body : undefined;
}

function clauses(v: Json | undefined): OsQuery[] {
  return Array.isArray(v) ? (v as OsQuery[]) : [];
}

/** A conjunction that can be merged into a parent AND: only `must` and `must_not` arrays. */
function conjunction(q: OsQuery): { must: OsQuery[]; mustNot: OsQuery[] } | undefined {
  const body = boolBody(q);
  if (body === undefined) return undefined;
  const keys = Object.keys(body);
  if (keys.length === 0 || !keys.every((k) => (k === 'must' || k === 'must_not') && Array.isArray(body[k]))) return undefined;
  return { must: clauses(body.must), mustNot: clauses(body.must_not) };
}

/** A disjunction that can be merged into a parent OR: `should` with minimum_should_match 1. */
function disjunction(q: OsQuery): OsQuery[] | undefined {
  const body = boolBody(q);
  if (body === undefined || Object.keys(body).length !== 2 || body.minimum_should_match !== 1) return undefined;
  return Array.isArray(body.should) ? clauses(body.should) : undefined;
}

export function andQuery(children: readonly OsQuery[]): OsQuery {
  const must: OsQuery[] = [];
  const mustNot: OsQuery[] = [];
  for (const child of children) {
    if (isMatchAll(child)) continue;
    if (isMatchNone(child)) return matchNone();
    const merged = conjunction(child);
    if (merged === undefined) {
      must.push(child);
    } else {
      must.push(...merged.must);
      mustNot.push(...merged.mustNot);
    }
  }
  if (mustNot.length === 0) {
    if (must.length === 0) return matchAll();
    if (must.length === 1) return must[0]!;
  }
  return { bool: { ...(must.length > 0 ? { must } : {}), ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } };
}

export function orQuery(children: readonly OsQuery[]): OsQuery {
  const should: OsQuery[] = [];
  for (const child of children) {
    if (isMatchNone(child)) continue;
    if (isMatchAll(child)) return matchAll();
    const merged = disjunction(child);
    if (merged === undefined) should.push(child);
    else should.push(...merged);
  }
  if (should.length === 0) return matchNone();
  if (should.length === 1) return should[0]!;
  return { bool: { should, minimum_should_match: 1 } };
}

export function notQuery(child: OsQuery): OsQuery {
  if (isMatchAll(child)) return matchNone();
  if (isMatchNone(child)) return matchAll();
  const negated = conjunction(child);
  // NOT NOT x = x
  if (negated !== undefined && negated.must.length === 0 && negated.mustNot.length === 1) return negated.mustNot[0]!;
  return { bool: { must_not: [child] } };
}
