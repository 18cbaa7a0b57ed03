/**
 * `#startswith(f, "prefix")`: the whole value starts with the prefix, **case-sensitive** as the v1
 * docs say: `prefix` on the exact `.keyword` (or on recordid). The prefix is a literal: `prefix`
 * gives `*`, `?` and regex characters no meaning.
 */
import type { StartsWithNode } from '../../ast';
import type { PassEnv } from '../../context';
import { matchNone, type OsQuery } from '../dsl';
import { describeField, fieldOf } from '../scalar';

function keywordPath(node: StartsWithNode, env: PassEnv): string | undefined {
  const field = fieldOf(node.field, env);
  if (field === undefined) return undefined;
  if (field.paths.keyword === undefined) {
    env.report(`#startswith works on text fields, not on ${describeField(field)}`, node.field.location, { field: field.name });
    return undefined;
  }
  return field.paths.keyword;
}

export function checkStartsWith(node: StartsWithNode, env: PassEnv): void {
  keywordPath(node, env);
}

export function startsWithToDsl(node: StartsWithNode, env: PassEnv): OsQuery {
  const path = keywordPath(node, env);
  return path === undefined ? matchNone() : { prefix: { [path]: node.prefix.text } };
}
