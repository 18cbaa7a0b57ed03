/**
 * The parse pass of ODSQL: clause text → AST, wrapping the generated peggy parser
 * (grammar/odsql.peggy). peggy's SyntaxError becomes a GatewayError `query_syntax` naming the
 * parameter (`where`, `select`, `group_by`, `order_by`, `refine`...) and the position, with the
 * same wording and caret excerpt as the v1 `q` errors (src/query/query-error.ts). Parentheses are
 * the only recursion in the grammar: their depth is bounded by a linear scan before parsing.
 */
import { registeredLru } from '../query/lru';
import { describeExpected, positionAt } from '../query/parse';
import { limitError, syntaxError, type QuerySource } from '../query/query-error';
import { odsqlBuilders, type AliasedItem, type OrderItem, type SelectItem, type WhereNode } from './ast';
import { parse as peggyParse, SyntaxError as PeggySyntaxError } from './generated/odsql-parser';

/** Nesting of parentheses (and of function calls) allowed in one clause. */
export const MAX_ODSQL_DEPTH = 32;
/** Characters in one clause. */
export const MAX_ODSQL_LENGTH = 10_000;

interface Rules {
  Where: WhereNode;
  Select: SelectItem[];
  GroupBy: AliasedItem[];
  OrderBy: OrderItem[];
}

// Clients send the same clauses again and again (every page, every facet click): the trees of
// recent short clauses are kept (pure syntax, never mutated), as for the v1 q (src/query/parse.ts).
const astCache = registeredLru<unknown>(500, 512);

function parseRule<R extends keyof Rules>(rule: R, text: string, parameter: string): Rules[R] {
  const key = `${rule}:${text}`;
  const cached = astCache.get(key);
  if (cached !== undefined) return cached as Rules[R];
  const tree = parseUncached(rule, text, parameter);
  astCache.set(key, tree);
  return tree;
}

function parseUncached<R extends keyof Rules>(rule: R, text: string, parameter: string): Rules[R] {
  const source: QuerySource = { parameter };
  if (text.length > MAX_ODSQL_LENGTH) {
    throw limitError(source, `the clause has ${text.length} characters; at most ${MAX_ODSQL_LENGTH} are allowed`, 'maxLength', MAX_ODSQL_LENGTH);
  }
  checkDepth(text, source);
  try {
    return (peggyParse as (input: string, options: object) => unknown)(text, { builders: odsqlBuilders, startRule: rule }) as Rules[R];
  } catch (e) {
    if (e instanceof PeggySyntaxError) {
      const p = e.location.start;
      if (e.expected === null) throw syntaxError(text, source, p, e.message.charAt(0).toLowerCase() + e.message.slice(1));
      const expected = describeExpected(e.expected);
      const found = p.offset < text.length ? text.slice(p.offset, p.offset + foundLength(text, p.offset)) : null;
      const list = expected.length <= 1 ? (expected[0] ?? 'nothing') : `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
      throw syntaxError(text, source, p, `expected ${list} but ${found === null ? 'end of input' : JSON.stringify(found)} found`, { expected, found });
    }
    if (e instanceof RangeError) throw limitError(source, 'the clause is nested too deeply', 'maxDepth', MAX_ODSQL_DEPTH);
    throw e;
  }
}

export const parseWhere = (text: string, parameter = 'where'): WhereNode => parseRule('Where', text, parameter);
export const parseSelect = (text: string, parameter = 'select'): SelectItem[] => parseRule('Select', text, parameter);
export const parseGroupBy = (text: string, parameter = 'group_by'): AliasedItem[] => parseRule('GroupBy', text, parameter);
export const parseOrderBy = (text: string, parameter = 'order_by'): OrderItem[] => parseRule('OrderBy', text, parameter);

function foundLength(text: string, offset: number): number {
  const m = /^[\p{L}\p{N}_]{1,20}/u.exec(text.slice(offset, offset + 20));
  return m ? m[0].length : 1;
}

/** Rejects parentheses nested deeper than MAX_ODSQL_DEPTH; quoted strings and names are skipped. */
function checkDepth(text: string, source: QuerySource): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '(') {
      if (++depth > MAX_ODSQL_DEPTH) {
        throw limitError(source, `parentheses are nested more than ${MAX_ODSQL_DEPTH} levels deep`, 'maxDepth', MAX_ODSQL_DEPTH, positionAt(text, i));
      }
    } else if (c === ')' && depth > 0) {
      depth--;
    }
  }
}
