/**
 * `field:value`, `field=value`, `field==value` and the comparisons `> >= < <=`.
 *
 * On a text field (decisions recorded in docs/query-language.md):
 * - `:` and `=` match the words of the value, in order, anywhere in the field, case and accents
 *   ignored, whole words (`title:paris` matches "Paris by night"; `title:par` does not):
 *   `match_phrase` on the field. This is what ODS does in practice, though v1 calls it "exact".
 * - `==` is the whole value, case and accents ignored: `term` on `.lower` (`county==wake`
 *   matches "Wake", not "Wake Forest"). #exact is the case-sensitive form.
 * - `>`... compare the exact `.keyword` lexicographically.
 * On recordid (a keyword) every form is exact. Numbers: `term`/`range`. Dates: the literal's whole
 * period (range.ts). `f:*`: the field has a value.
 */
import type { CompareNode } from '../ast';
import type { PassEnv } from '../context';
import type { ResolvedField } from '../resolve-field';
import { matchNone, type OsQuery } from './dsl';
import { COMPARABLE_TYPES, compareOrdered, comparePeriod, comparisonPath, exists } from './range';
import { describeField, fieldOf, scalarFor, type Scalar } from './scalar';

const TYPE_HINTS: Record<string, string> = {
  geo_point_2d: 'use #distance(...), #polygon(...) or #null(...)',
  geo_shape: 'use #polygon(...), #geometry(...) or #null(...)',
  file: 'a file field can only be tested with #null(...)',
};

function resolveCompare(node: CompareNode, env: PassEnv): { field: ResolvedField; scalar: Scalar } | undefined {
  const field = fieldOf(node.field, env);
  if (field === undefined) return undefined;
  if (!COMPARABLE_TYPES.has(field.type)) {
    env.report(`${describeField(field)} cannot be used with "${node.op}": ${TYPE_HINTS[field.type] ?? ''}`, node.field.location, {
      field: field.name,
    });
    return undefined;
  }
  if (node.value.kind === 'any' && node.op !== ':' && node.op !== '=') {
    env.report(`"*" (any value) only goes with ":", as in ${field.name}:*`, node.value.location);
    return undefined;
  }
  const scalar = scalarFor(field, node.value, env);
  return scalar === undefined ? undefined : { field, scalar };
}

export function checkCompare(node: CompareNode, env: PassEnv): void {
  resolveCompare(node, env);
}

export function compareToDsl(node: CompareNode, env: PassEnv): OsQuery {
  const r = resolveCompare(node, env);
  if (r === undefined) return matchNone();
  const { field, scalar } = r;
  const op = node.op;
  switch (scalar.kind) {
    case 'any':
      return exists(field.paths.value);
    case 'period':
      return comparePeriod(field.paths.value, op, scalar.period);
    case 'number':
      return op === ':' || op === '=' || op === '==' ? { term: { [field.paths.value]: scalar.value } } : compareOrdered(field.paths.value, op, scalar.value);
    case 'text':
      if (op === '>' || op === '>=' || op === '<' || op === '<=') return compareOrdered(comparisonPath(field), op, scalar.text);
      return textEquals(field, op, scalar.text);
  }
}

/** Equality on a text field (or recordid, which has only its keyword). */
export function textEquals(field: ResolvedField, op: ':' | '=' | '==', text: string): OsQuery {
  const { text: analysed, lower, keyword, value } = field.paths;
  if (op === '==' || analysed === undefined) return { term: { [lower ?? keyword ?? value]: text } };
  return { match_phrase: { [analysed]: { query: text } } };
}
