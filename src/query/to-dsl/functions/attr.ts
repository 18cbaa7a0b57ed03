/**
 * `#attr(f, name)`: the field equals the caller's attribute `name` (a SAML attribute in ODS; here
 * `ctx.attributes`), the building block of per-user row filters. Exact and case-sensitive: `term`
 * or `terms` (inline values, never a terms lookup) on `.keyword` for text, on the value for
 * numbers. A caller without the attribute (or with an empty list) matches nothing: a security
 * filter must fail closed. Attribute values that cannot be numbers are ignored on numeric fields.
 */
import type { AttrNode } from '../../ast';
import type { PassEnv } from '../../context';
import type { ResolvedField } from '../../resolve-field';
import { matchNone, type Json, type OsQuery } from '../dsl';
import { describeField, fieldOf } from '../scalar';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function attrField(node: AttrNode, env: PassEnv): ResolvedField | undefined {
  const field = fieldOf(node.field, env);
  if (field === undefined) return undefined;
  if (field.type !== 'text' && field.type !== 'int' && field.type !== 'double') {
    env.report(`#attr works on text and numeric fields, not on ${describeField(field)}`, node.field.location, { field: field.name });
    return undefined;
  }
  return field;
}

export function checkAttr(node: AttrNode, env: PassEnv): void {
  attrField(node, env);
}

export function attrToDsl(node: AttrNode, env: PassEnv): OsQuery {
  const field = attrField(node, env);
  if (field === undefined) return matchNone();
  const raw = Object.prototype.hasOwnProperty.call(env.attributes, node.attribute.text) ? env.attributes[node.attribute.text] : undefined;
  const strings = raw === undefined ? [] : typeof raw === 'string' ? [raw] : [...raw];
  let values: Json[];
  let path: string;
  if (field.type === 'text') {
    values = [...new Set(strings)];
    path = field.paths.keyword ?? field.paths.value;
  } else {
    const numbers = strings.filter((s) => NUMBER.test(s.trim())).map((s) => Number(s.trim()));
    values = [...new Set(numbers.filter((n) => Number.isFinite(n) && (field.type === 'double' || Number.isSafeInteger(n))))];
    path = field.paths.value;
  }
  if (values.length === 0) return matchNone();
  return values.length === 1 ? { term: { [path]: values[0]! } } : { terms: { [path]: values } };
}
