/**
 * The size of a parsed query, measured without recursion (a chain of 5 000 NOTs must not exhaust
 * the stack before it is refused): the depth of its boolean nesting and its number of clauses.
 */
import type { Position, QueryNode } from './ast';

export interface QuerySize {
  /** Height of the tree: a lone term is 1, `a OR b` is 2, `NOT (a OR b)` is 3. */
  depth: number;
  /** Terms, field queries and functions (match_all excluded). */
  clauses: number;
  /** Of those, the full-text ones (words, phrases, `#search(*, ...)`), which may span several fields. */
  fullText: number;
  /** The first node (in the text) nested deeper than `maxDepth`, if any. */
  tooDeep?: Position;
}

export function measure(root: QueryNode, maxDepth = Infinity): QuerySize {
  let depth = 0;
  let clauses = 0;
  let fullText = 0;
  let tooDeep: Position | undefined;
  const stack: [QueryNode, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, level] = item;
    depth = Math.max(depth, level);
    if (level === maxDepth + 1 && (tooDeep === undefined || node.location.start.offset < tooDeep.offset)) {
      tooDeep = node.location.start;
    }
    switch (node.type) {
      case 'and':
      case 'or':
        for (const c of node.children) stack.push([c, level + 1]);
        break;
      case 'not':
        stack.push([node.child, level + 1]);
        break;
      case 'match_all':
        break;
      case 'word':
      case 'phrase':
        clauses++;
        fullText++;
        break;
      case 'search':
        clauses++;
        if (node.all) fullText++;
        break;
      default:
        clauses++;
    }
  }
  return tooDeep === undefined ? { depth, clauses, fullText } : { depth, clauses, fullText, tooDeep };
}
