/**
 * The DSL safety check shared by the safety and fuzz tests: keys that must never appear, and the
 * only keys the translation may write besides field paths.
 */
import { allKeys } from './fixtures';

export const FORBIDDEN_KEYS = [
  'query_string',
  'simple_query_string',
  'script',
  'script_score',
  'scripted_metric',
  'script_fields',
  'runtime_mappings',
  'index',
  '_index',
  'indices',
  'indexed_shape',
  'terms_lookup',
  'id',
  'ids',
  'path',
  'routing',
  'percolate',
  'more_like_this',
  'like',
  'regexp',
  'wildcard',
  'fuzzy',
  'stored_fields',
  'nested',
  'has_child',
  'has_parent',
  'function_score',
  'intervals',
];

/** Every key the translation may write (besides field paths). */
export const ALLOWED_KEYS = new Set([
  'bool', 'must', 'must_not', 'should', 'minimum_should_match', 'match_all',
  'match_phrase_prefix', 'match_phrase', 'multi_match', 'query', 'zero_terms_query', 'type', 'fields',
  'term', 'terms', 'range', 'gt', 'gte', 'lt', 'lte', 'exists', 'field', 'prefix',
  'geo_distance', 'distance', 'lat', 'lon', 'geo_shape', 'shape', 'coordinates', 'relation',
]);

const isFieldPath = (k: string): boolean => /^(fields\.[a-z_][a-z0-9_]*(\.keyword|\.lower)?|__all|__geo_type\.[a-z_][a-z0-9_]*|recordid|record_timestamp)$/.test(k);

/** Throws when the DSL holds a forbidden or unknown key. */
export function assertSafe(out: unknown): void {
  for (const k of allKeys(out)) {
    if (FORBIDDEN_KEYS.includes(k)) throw new Error(`forbidden key ${k} in ${JSON.stringify(out)}`);
    if (!ALLOWED_KEYS.has(k) && !isFieldPath(k)) throw new Error(`unexpected key ${k} in ${JSON.stringify(out)}`);
  }
}

