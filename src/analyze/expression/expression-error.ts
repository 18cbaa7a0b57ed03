/**
 * How expression errors read: the parameter (`y.<serie>.expr`), the position (offset, line, column),
 * what was wrong or expected, and the expression with a caret under the position (the same layout as
 * q errors, src/query/query-error.ts):
 *
 *   Invalid expression in parameter "y.s1.expr" at offset 5 (line 1, column 6): unknown function "sqr"...
 *   sqrt(popultion)
 *   -----^
 */
import { GatewayError } from '../../errors';
import { caretExcerpt, describePosition } from '../../query/query-error';
import type { Position } from './ast';

function extraOf(parameter: string, p: Position, details: Record<string, unknown>): Record<string, unknown> {
  return { parameter, position: p.offset, line: p.line, column: p.column, ...details };
}

export function expressionSyntaxError(
  text: string,
  parameter: string,
  p: Position,
  problem: string,
  details: Record<string, unknown> = {},
): GatewayError {
  return new GatewayError(
    'query_syntax',
    `Invalid expression in parameter "${parameter}" at ${describePosition(p)}: ${problem}\n${caretExcerpt(text, p)}`,
    { extra: extraOf(parameter, p, details) },
  );
}

/** One semantic problem found by the check pass. */
export interface ExpressionDiagnostic {
  message: string;
  start: Position;
  details?: Record<string, unknown>;
}

/** One error carrying every diagnostic (sorted by position); the caret points at the first. */
export function expressionSemanticError(text: string, parameter: string, diagnostics: readonly ExpressionDiagnostic[]): GatewayError {
  const sorted = [...diagnostics].sort((a, b) => a.start.offset - b.start.offset);
  const first = sorted[0];
  if (first === undefined) throw new Error('expressionSemanticError needs at least one diagnostic');
  const message =
    sorted.length === 1
      ? `Invalid expression in parameter "${parameter}" at ${describePosition(first.start)}: ${first.message}`
      : `${sorted.length} errors in the expression in parameter "${parameter}":\n` +
        sorted.map((d) => `- at ${describePosition(d.start)}: ${d.message}`).join('\n');
  return new GatewayError('query_semantic', `${message}\n${caretExcerpt(text, first.start)}`, {
    extra: {
      ...extraOf(parameter, first.start, first.details ?? {}),
      errors: sorted.map((d) => ({ message: d.message, ...extraOf(parameter, d.start, d.details ?? {}) })),
    },
  });
}
