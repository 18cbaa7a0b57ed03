/**
 * `#search(f1, f2, "text")` and `#search(*, "text")`: the words in order, only the last one a
 * prefix (`"Jean-C"` = jean followed by a word starting with c): `multi_match` of type
 * `phrase_prefix` on the fields' analysed text (for `*`: `__all`, or the caller's visible text
 * fields when a text field is hidden from the caller, like bare words: src/query/to-dsl/full-text.ts).
 *
 * Completeness: the v1 docs warn that short prefixes "can return incomplete results", the mark of
 * `match_phrase_prefix` expanding at most max_expansions (50) terms. Here every text field has
 * `index_prefixes {1,19}`, so a last word of 1 to 19 characters is a single term lookup in the
 * `._index_prefix` sub-field: complete, max_expansions unused. Only a last word of 20 or more
 * characters expands (at most 50 terms sharing those 20 characters).
 */
import type { SearchNode } from '../../ast';
import type { PassEnv } from '../../context';
import { matchNone, type OsQuery } from '../dsl';
import { describeField, fieldOf } from '../scalar';

function searchPaths(node: SearchNode, env: PassEnv): readonly string[] | undefined {
  if (node.all) return env.fullText;
  const paths: string[] = [];
  let ok = true;
  for (const ref of node.fields) {
    const field = fieldOf(ref, env);
    if (field === undefined) {
      ok = false;
    } else if (field.paths.text === undefined) {
      env.report(`#search works on text fields, not on ${describeField(field)}`, ref.location, { field: field.name });
      ok = false;
    } else if (!paths.includes(field.paths.text)) {
      paths.push(field.paths.text);
    }
  }
  return ok ? paths : undefined;
}

export function checkSearch(node: SearchNode, env: PassEnv): void {
  searchPaths(node, env);
}

export function searchToDsl(node: SearchNode, env: PassEnv): OsQuery {
  const fields = searchPaths(node, env);
  if (fields === undefined || fields.length === 0) return matchNone();
  return { multi_match: { query: node.text.text, type: 'phrase_prefix', fields: [...fields] } };
}
