/**
 * Bare words and quoted phrases: full-text search over `__all`, the text field every text field
 * is copied into, or over the caller's visible text fields when some text field is hidden from the
 * caller (`env.fullText`, see fullTextPaths: `__all` holds the hidden values too). Both are
 * analysed like the data (standard tokenizer, French elision, lowercase, asciifolding), so case and
 * accents do not matter.
 *
 * - A word is a prefix: `match_phrase_prefix`. With `index_prefixes {1,19}` on `__all` (and on
 *   every text field) a last token of 1 to 19 characters is one term lookup in
 *   `._index_prefix`, complete (no max_expansions truncation); a longer one falls back to expanding
 *   at most 50 terms, which a 20-character prefix never nears. A word the analyzer splits
 *   (`jean-claude`, `3.5`) must match as written: its tokens in order, the last one a prefix.
 *   `match_bool_prefix` would instead OR the tokens by default, or AND them in any order and
 *   anywhere in the record.
 * - A phrase is `match_phrase`: these words, in this order, no prefix (`"film"` does not match
 *   films).
 * - `zero_terms_query: all`: a word the analyzer reduces to nothing (`&`, a lone `-`) is neutral
 *   in an AND instead of emptying the result.
 * - Over several fields, the same queries as a `multi_match` of type `phrase_prefix` / `phrase`
 *   (a record matches when one field matches, scored by its best field). A caller who may see no
 *   text field at all matches nothing.
 */
import type { PhraseNode, WordNode } from '../ast';
import type { PassEnv } from '../context';
import { ALL_TEXT_PATH } from '../resolve-field';
import { matchNone, type Json, type OsQuery } from './dsl';

/** One full-text query over the caller's full-text paths. */
export function fullTextQuery(text: string, type: 'phrase_prefix' | 'phrase', env: Pick<PassEnv, 'fullText'>, zeroTermsAll: boolean): OsQuery {
  const paths = env.fullText;
  const zero: Record<string, Json> = zeroTermsAll ? { zero_terms_query: 'all' } : {};
  if (paths.length === 1 && paths[0] === ALL_TEXT_PATH) {
    return { [type === 'phrase' ? 'match_phrase' : 'match_phrase_prefix']: { [ALL_TEXT_PATH]: { query: text, ...zero } } };
  }
  if (paths.length === 0) return matchNone();
  return { multi_match: { query: text, type, fields: [...paths], ...zero } };
}

export function wordToDsl(node: WordNode, env: Pick<PassEnv, 'fullText'>): OsQuery {
  return fullTextQuery(node.text, 'phrase_prefix', env, true);
}

export function phraseToDsl(node: PhraseNode, env: Pick<PassEnv, 'fullText'>): OsQuery {
  return fullTextQuery(node.text, 'phrase', env, true);
}
