/**
 * The check pass: every field name resolved against the schema (hidden fields are unknown), every
 * value read for its field's type (numbers, dates, #now arguments, coordinates, geometry types),
 * every function's field type checked. All problems are collected, each with its position, before
 * anything is thrown (as peggy's compiler passes report through `session.error`).
 */
import { assertNever } from '../errors';
import type { QueryNode } from './ast';
import type { CompileEnv } from './context';
import type { Diagnostic } from './query-error';
import { checkCompare } from './to-dsl/field-match';
import { checkAttr } from './to-dsl/functions/attr';
import { checkDistance } from './to-dsl/functions/distance';
import { checkExact } from './to-dsl/functions/exact';
import { checkGeometry } from './to-dsl/functions/geometry';
import { checkIsNull } from './to-dsl/functions/null';
import { checkPolygon } from './to-dsl/functions/polygon';
import { checkSearch } from './to-dsl/functions/search';
import { checkStartsWith } from './to-dsl/functions/starts-with';
import { checkRange } from './to-dsl/range';

export function checkQuery(root: QueryNode, compileEnv: CompileEnv): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const env = {
    ...compileEnv,
    report: (message: string, at: { start: Diagnostic['start'] }, details?: Record<string, unknown>) => {
      diagnostics.push({ message, start: at.start, ...(details === undefined ? {} : { details }) });
    },
  };
  const visit = (node: QueryNode): void => {
    switch (node.type) {
      case 'and':
      case 'or':
        node.children.forEach(visit);
        return;
      case 'not':
        return visit(node.child);
      case 'match_all':
      case 'word':
      case 'phrase':
        return;
      case 'compare':
        return checkCompare(node, env);
      case 'range':
        return checkRange(node, env);
      case 'is_null':
        return checkIsNull(node, env);
      case 'exact':
        return checkExact(node, env);
      case 'search':
        return checkSearch(node, env);
      case 'starts_with':
        return checkStartsWith(node, env);
      case 'distance':
        return checkDistance(node, env);
      case 'polygon':
        return checkPolygon(node, env);
      case 'geometry':
        return checkGeometry(node, env);
      case 'attr':
        return checkAttr(node, env);
      default:
        return assertNever(node, 'query node');
    }
  };
  visit(root);
  return diagnostics;
}
