/**
 * The OpenSearch query DSL as plain JSON, and the two constant queries. The translation emits only
 * leaf queries from a fixed list (match_phrase_prefix, match_phrase, multi_match, term, terms with
 * inline values, range, prefix on a keyword, exists, geo_distance, geo_shape with an inline shape)
 * inside `bool`: never query_string, script, regexp, wildcard, terms lookup or indexed_shape.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type OsQuery = { [clause: string]: Json };

// Fresh objects each time: callers (the search body builders) may extend what they receive.
export const matchAll = (): OsQuery => ({ match_all: {} });

/** Matches no document (the shape #attr uses when the caller lacks the attribute). */
export const matchNone = (): OsQuery => ({ bool: { must_not: { match_all: {} } } });

export function isMatchAll(q: OsQuery): boolean {
  return Object.keys(q).length === 1 && isEmptyObject(q.match_all);
}

export function isMatchNone(q: OsQuery): boolean {
  const bool = q.bool;
  if (Object.keys(q).length !== 1 || !isObject(bool) || Object.keys(bool).length !== 1) return false;
  const mustNot = bool.must_not;
  return isObject(mustNot) && !Array.isArray(mustNot) && isMatchAll(mustNot as OsQuery);
}

export function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyObject(v: Json | undefined): boolean {
  return isObject(v) && Object.keys(v).length === 0;
}
