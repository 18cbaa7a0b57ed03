/**
 * How query errors read. Every error names the parameter, the position (offset, line, column),
 * what was wrong or expected, and shows the query line with a caret under the position, as
 * Kibana's KQLSyntaxError does:
 *
 *   Invalid query in parameter "q" at offset 6 (line 1, column 7): expected value but end of input found
 *   title:
 *   ------^
 *
 * The structured form goes to `extra` (merged into the v1 error body): `{parameter, position,
 * line, column, ...}`, plus `expected`/`found` for syntax errors and `errors` (every diagnostic)
 * for semantic ones.
 */
import { GatewayError } from '../errors';
import type { Position } from './ast';

/** Which query an error is about: `q`, `q.timerange`, or the 2nd of 3 repeated `q`. */
export interface QuerySource {
  parameter: string;
  /** 0-based index when the parameter was repeated, with the number of values. */
  index?: number;
  count?: number;
}

/** One semantic problem, found by the check pass (src/query/check.ts). */
export interface Diagnostic {
  /** A lower-case sentence without the position, e.g. `unknown field "popultion"; known fields: ...`. */
  message: string;
  start: Position;
  /** Machine-readable details for the error body (field, known_fields, expected...). */
  details?: Record<string, unknown>;
}

const EXCERPT_HALF_WIDTH = 60;

export function describeSource(src: QuerySource): string {
  const values = src.count !== undefined && src.count > 1 && src.index !== undefined;
  return `parameter "${src.parameter}"${values ? ` (value ${src.index! + 1} of ${src.count})` : ''}`;
}

export function describePosition(p: Position): string {
  return `offset ${p.offset} (line ${p.line}, column ${p.column})`;
}

/**
 * The line of `q` holding `p`, cut to ±60 characters around it, and a caret line under it.
 * Tabs and other control characters are shown as spaces so the caret stays aligned.
 */
export function caretExcerpt(q: string, p: Position): string {
  const lineStart = q.lastIndexOf('\n', p.offset - 1) + 1;
  const newline = q.indexOf('\n', p.offset);
  const lineEnd = newline === -1 ? q.length : newline;
  const from = Math.max(lineStart, p.offset - EXCERPT_HALF_WIDTH);
  const to = Math.min(lineEnd, p.offset + EXCERPT_HALF_WIDTH);
  const text = q.slice(from, to).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const prefix = from > lineStart ? '…' : '';
  const suffix = to < lineEnd ? '…' : '';
  return `${prefix}${text}${suffix}\n${'-'.repeat(prefix.length + p.offset - from)}^`;
}

function head(src: QuerySource, p: Position): string {
  return `Invalid query in ${describeSource(src)} at ${describePosition(p)}`;
}

function positionExtra(src: QuerySource, p: Position): Record<string, unknown> {
  return {
    parameter: src.parameter,
    ...(src.index !== undefined && src.count !== undefined && src.count > 1 ? { value_index: src.index } : {}),
    position: p.offset,
    line: p.line,
    column: p.column,
  };
}

export function syntaxError(
  q: string,
  src: QuerySource,
  p: Position,
  problem: string,
  details: { expected?: string[]; found?: string | null } = {},
): GatewayError {
  return new GatewayError('query_syntax', `${head(src, p)}: ${problem}\n${caretExcerpt(q, p)}`, {
    extra: { ...positionExtra(src, p), ...details },
  });
}

/** One error carrying every diagnostic (sorted by position); the caret points at the first. */
export function semanticError(q: string, src: QuerySource, diagnostics: readonly Diagnostic[]): GatewayError {
  const sorted = [...diagnostics].sort((a, b) => a.start.offset - b.start.offset);
  const first = sorted[0];
  if (first === undefined) throw new Error('semanticError needs at least one diagnostic');
  const errors = sorted.map((d) => ({ message: d.message, ...positionExtra(src, d.start), ...d.details }));
  const message =
    sorted.length === 1
      ? `${head(src, first.start)}: ${first.message}`
      : `${sorted.length} errors in the query in ${describeSource(src)}:\n` +
        sorted.map((d) => `- at ${describePosition(d.start)}: ${d.message}`).join('\n');
  return new GatewayError('query_semantic', `${message}\n${caretExcerpt(q, first.start)}`, {
    extra: { ...positionExtra(src, first.start), errors },
  });
}

/** A limit (length, depth, clauses) exceeded: a 400 before anything reaches OpenSearch. */
export function limitError(src: QuerySource, problem: string, limit: string, max: number, p?: Position): GatewayError {
  const where = p === undefined ? '' : ` at ${describePosition(p)}`;
  return new GatewayError('bad_parameter', `Invalid query in ${describeSource(src)}${where}: ${problem}`, {
    extra: {
      ...(p === undefined ? { parameter: src.parameter } : positionExtra(src, p)),
      limit,
      max,
    },
  });
}
