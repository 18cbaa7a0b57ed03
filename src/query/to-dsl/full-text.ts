/**
 * Bare words and quoted phrases: full-text search over `__all`, the text field every text field
 * is copied into. Both are analysed like the data (standard tokenizer, French elision, lowercase,
 * asciifolding), so case and accents do not matter.
 *
 * - A word is a prefix: `match_phrase_prefix`. With `index_prefixes {1,19}` on `__all` a last
 *   token of 1 to 19 characters is one term lookup in `__all._index_prefix`, complete (no
 *   max_expansions truncation); a longer one falls back to expanding at most 50 terms, which a
 *   20-character prefix never nears. A word the analyzer splits (`jean-claude`, `3.5`) must match
 *   as written: its tokens in order, the last one a prefix. `match_bool_prefix` would instead
 *   OR the tokens by default, or AND them in any order and anywhere in the record.
 * - A phrase is `match_phrase`: these words, in this order, no prefix (`"film"` does not match
 *   films).
 * - `zero_terms_query: all`: a word the analyzer reduces to nothing (`&`, a lone `-`) is neutral
 *   in an AND instead of emptying the result.
 */
import type { PhraseNode, WordNode } from '../ast';
import { ALL_TEXT_PATH } from '../resolve-field';
import type { OsQuery } from './dsl';

export function wordToDsl(node: WordNode): OsQuery {
  return { match_phrase_prefix: { [ALL_TEXT_PATH]: { query: node.text, zero_terms_query: 'all' } } };
}

export function phraseToDsl(node: PhraseNode): OsQuery {
  return { match_phrase: { [ALL_TEXT_PATH]: { query: node.text, zero_terms_query: 'all' } } };
}
