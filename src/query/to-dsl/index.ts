/**
 * The translate pass: a checked AST → OpenSearch query DSL. One exhaustive switch over the node
 * kinds (a new kind that is not handled here fails to compile), one module per kind.
 *
 * Runs only on queries the check pass accepted; `env.report` throws if a module finds a problem
 * anyway, so nothing half-translated can reach OpenSearch.
 */
import { assertNever } from '../../errors';
import type { QueryNode } from '../ast';
import type { PassEnv } from '../context';
import { andQuery, notQuery, orQuery } from './boolean';
import { matchAll, type OsQuery } from './dsl';
import { compareToDsl } from './field-match';
import { phraseToDsl, wordToDsl } from './full-text';
import { attrToDsl } from './functions/attr';
import { distanceToDsl } from './functions/distance';
import { exactToDsl } from './functions/exact';
import { geometryToDsl } from './functions/geometry';
import { isNullToDsl } from './functions/null';
import { polygonToDsl } from './functions/polygon';
import { searchToDsl } from './functions/search';
import { startsWithToDsl } from './functions/starts-with';
import { rangeToDsl } from './range';

export type { Json, OsQuery } from './dsl';

export function toDsl(node: QueryNode, env: PassEnv): OsQuery {
  switch (node.type) {
    case 'match_all':
      return matchAll();
    case 'and':
      return andQuery(node.children.map((c) => toDsl(c, env)));
    case 'or':
      return orQuery(node.children.map((c) => toDsl(c, env)));
    case 'not':
      return notQuery(toDsl(node.child, env));
    case 'word':
      return wordToDsl(node, env);
    case 'phrase':
      return phraseToDsl(node, env);
    case 'compare':
      return compareToDsl(node, env);
    case 'range':
      return rangeToDsl(node, env);
    case 'is_null':
      return isNullToDsl(node, env);
    case 'exact':
      return exactToDsl(node, env);
    case 'search':
      return searchToDsl(node, env);
    case 'starts_with':
      return startsWithToDsl(node, env);
    case 'distance':
      return distanceToDsl(node, env);
    case 'polygon':
      return polygonToDsl(node, env);
    case 'geometry':
      return geometryToDsl(node, env);
    case 'attr':
      return attrToDsl(node, env);
    default:
      return assertNever(node, 'query node');
  }
}
