/**
 * `#null(f)`: the field has no value. Works on every field type, file fields included (ODS
 * clients send `NOT #null(image)` to keep records with a picture).
 */
import type { IsNullNode } from '../../ast';
import type { PassEnv } from '../../context';
import { matchNone, type OsQuery } from '../dsl';
import { exists } from '../range';
import { fieldOf } from '../scalar';

export function checkIsNull(node: IsNullNode, env: PassEnv): void {
  fieldOf(node.field, env);
}

export function isNullToDsl(node: IsNullNode, env: PassEnv): OsQuery {
  const field = fieldOf(node.field, env);
  return field === undefined ? matchNone() : { bool: { must_not: [exists(field.paths.value)] } };
}
