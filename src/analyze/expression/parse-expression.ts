/**
 * The parse pass of the analyze expression language: text → AST, wrapping the generated peggy parser
 * (grammar/expression.peggy). peggy's SyntaxError becomes a GatewayError `query_syntax` at this
 * boundary, naming the parameter and the position. Unary signs and parentheses are the only recursion
 * in the grammar, so the text's length and nesting are bounded *before* parsing: hostile input answers
 * 400 instead of exhausting the stack.
 */
import { describeExpected, positionAt } from '../../query/parse';
import { parse as peggyParse, SyntaxError as PeggySyntaxError } from './generated/expression-parser';
import { expressionBuilders, type ExpressionNode } from './ast';
import { expressionSyntaxError } from './expression-error';

/** Longer expressions are refused: v1 clients send short formulas (`sqrt(population)*2`). */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest nesting of parentheses and unary signs. */
export const MAX_EXPRESSION_DEPTH = 32;

const PARSER_OPTIONS = { builders: expressionBuilders } as const;

export function parseExpression(text: string, parameter: string): ExpressionNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw expressionSyntaxError(text.slice(0, 200), parameter, positionAt(text, 0), `the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, {
      limit: 'MAX_EXPRESSION_LENGTH',
      max: MAX_EXPRESSION_LENGTH,
    });
  }
  checkDepth(text, parameter);
  try {
    return peggyParse(text, PARSER_OPTIONS);
  } catch (e) {
    if (e instanceof PeggySyntaxError) {
      const p = e.location.start;
      const expected = describeExpected(e.expected ?? []);
      const found = p.offset < text.length ? JSON.stringify(text.slice(p.offset, p.offset + 1)) : 'end of input';
      throw expressionSyntaxError(text, parameter, p, `expected ${joinOr(expected)} but ${found} found`, {
        expected,
        found: p.offset < text.length ? text.slice(p.offset, p.offset + 1) : null,
      });
    }
    throw e;
  }
}

/** A linear scan: nesting = open parentheses + signs in a row; both feed the parser's recursion. */
function checkDepth(text: string, parameter: string): void {
  let depth = 0;
  let signs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (c === '-' || c === '+') signs++;
    else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') signs = 0;
    if (depth + signs > MAX_EXPRESSION_DEPTH) {
      throw expressionSyntaxError(text, parameter, positionAt(text, i), `the expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, {
        limit: 'MAX_EXPRESSION_DEPTH',
        max: MAX_EXPRESSION_DEPTH,
      });
    }
  }
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'nothing';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
