/**
 * `#exact(f, "value")`: the whole value equals the string, **case- and accent-sensitive**: `term`
 * on `.keyword` (`#exact(name, "Paris")` does not match "paris"; `name=="paris"` does). The v1
 * text says "the whole field value equals the string" and ODS's keyword storage is exact; the
 * case-insensitive whole-value match is `==`. On numbers and dates it means `==`.
 */
import type { CompareNode, ExactNode } from '../../ast';
import type { PassEnv } from '../../context';
import { matchNone, type OsQuery } from '../dsl';
import { checkCompare, compareToDsl } from '../field-match';
import { COMPARABLE_TYPES } from '../range';
import { describeField, fieldOf } from '../scalar';

function asEquality(node: ExactNode): CompareNode {
  return { type: 'compare', field: node.field, op: '==', value: node.value, location: node.location };
}

export function checkExact(node: ExactNode, env: PassEnv): void {
  const field = fieldOf(node.field, env);
  if (field === undefined || field.type === 'text') return;
  if (COMPARABLE_TYPES.has(field.type)) checkCompare(asEquality(node), env);
  else env.report(`#exact works on text, numeric and date fields, not on ${describeField(field)}`, node.field.location, { field: field.name });
}

export function exactToDsl(node: ExactNode, env: PassEnv): OsQuery {
  const field = fieldOf(node.field, env);
  if (field === undefined) return matchNone();
  if (field.type !== 'text') return compareToDsl(asEquality(node), env);
  return { term: { [field.paths.keyword ?? field.paths.value]: node.value.text } };
}
