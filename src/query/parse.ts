/**
 * The parse pass: q text → AST, wrapping the generated peggy parser (grammar/query.peggy).
 *
 * Turns peggy's SyntaxError into a GatewayError `query_syntax` at this boundary (Kibana's
 * KQLSyntaxError does the same), with the expected list made readable. Parentheses are the only
 * recursion in the grammar, so their depth is bounded by a linear scan *before* parsing: a query
 * of 10 000 "(" answers 400 instead of exhausting the stack.
 */
import { builders, type DateParts, type LatLonDistanceParts, type LatLonParts, type Position, type QueryNode } from './ast';
import { parse as peggyParse, SyntaxError as PeggySyntaxError, type Expectation } from './generated/query-parser';
import { registeredLru } from './lru';
import { limitError, syntaxError, type QuerySource } from './query-error';

const PARSER_OPTIONS = { builders } as const;

// Widgets send the same q again and again (every page, every facet click): the ASTs of recent
// short queries are kept (pure syntax, never mutated). The bounds keep an attacker's distinct
// queries from holding more than a few megabytes.
const astCache = registeredLru<QueryNode>(500, 256);
const fragmentCache = registeredLru<FragmentResult<unknown>>(500, 1000);

/**
 * Parses one q. `maxDepth` bounds the nesting of parentheses. The tree may be shared with other
 * callers (cache): treat it as read-only.
 */
export function parseQuery(q: string, source: QuerySource, maxDepth: number): QueryNode {
  checkParenthesisDepth(q, source, maxDepth);
  const cached = astCache.get(q);
  if (cached !== undefined) return cached;
  const root = parseUncached(q, source, maxDepth);
  astCache.set(q, root);
  return root;
}

function parseUncached(q: string, source: QuerySource, maxDepth: number): QueryNode {
  try {
    return peggyParse(q, PARSER_OPTIONS);
  } catch (e) {
    if (e instanceof PeggySyntaxError) {
      const p = e.location.start;
      if (e.expected === null) {
        // Raised by error() in a grammar action: the message is already a sentence.
        throw syntaxError(q, source, p, lowerFirst(e.message));
      }
      const expected = describeExpected(e.expected);
      const found = describeFound(q, p.offset);
      throw syntaxError(q, source, p, `expected ${joinOr(expected)} but ${found} found`, {
        expected,
        found: p.offset < q.length ? q.slice(p.offset, p.offset + foundLength(q, p.offset)) : null,
      });
    }
    if (e instanceof RangeError) {
      // Belt and braces: the depth scan should make this unreachable.
      throw limitError(source, 'the query is nested too deeply', 'maxDepth', maxDepth);
    }
    throw e;
  }
}

/** What a fragment start rule returns, by rule. */
interface Fragments {
  DateLiteral: DateParts;
  LatLon: LatLonParts;
  LatLonDistance: LatLonDistanceParts;
  PolygonPoints: LatLonParts[];
}

export type FragmentResult<T> =
  | { ok: true; value: T }
  | { ok: false; offset: number; expected: string[]; found: string | null };

/**
 * Parses a value with one of the grammar's fragment rules (dates, coordinates): the same syntax
 * everywhere, no parallel regexes. Never throws on bad input; the caller words the error.
 */
export function parseFragment<R extends keyof Fragments>(rule: R, text: string): FragmentResult<Fragments[R]> {
  const key = `${rule}:${text}`;
  const cached = fragmentCache.get(key);
  if (cached !== undefined) return cached as FragmentResult<Fragments[R]>;
  const result = parseFragmentUncached(rule, text);
  fragmentCache.set(key, result);
  return result;
}

function parseFragmentUncached<R extends keyof Fragments>(rule: R, text: string): FragmentResult<Fragments[R]> {
  try {
    const value = (peggyParse as (input: string, options: object) => unknown)(text, {
      ...PARSER_OPTIONS,
      startRule: rule,
    }) as Fragments[R];
    return { ok: true, value };
  } catch (e) {
    if (e instanceof PeggySyntaxError) {
      const offset = e.location.start.offset;
      return {
        ok: false,
        offset,
        expected: describeExpected(e.expected ?? []),
        found: offset < text.length ? text.slice(offset, offset + foundLength(text, offset)) : null,
      };
    }
    throw e;
  }
}

/** Line and column of an offset, counted as peggy counts them. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

// Where a quote opens a string in the grammar: at the start of a term or a value. Elsewhere
// (l'étoile) it is part of a word.
const OPENS_STRING_AFTER = new Set([...' \t\n\r\f\v\u00a0\ufeff(:=<>,[-'].map((c) => c.charCodeAt(0)));

/** Rejects parentheses nested deeper than maxDepth (quoted strings skipped, as the grammar does). */
function checkParenthesisDepth(q: string, source: QuerySource, maxDepth: number): void {
  let depth = 0;
  let quote = 0; // the quote character of the string being skipped, 0 outside strings
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    if (quote !== 0) {
      if (c === 0x5c /* \ */) i++;
      else if (c === quote) quote = 0;
    } else if (c === 0x22 /* " */ || (c === 0x27 /* ' */ && (i === 0 || OPENS_STRING_AFTER.has(q.charCodeAt(i - 1))))) {
      quote = c;
    } else if (c === 0x28 /* ( */) {
      if (++depth > maxDepth) {
        throw limitError(
          source,
          `parentheses are nested more than ${maxDepth} levels deep`,
          'maxDepth',
          maxDepth,
          positionAt(q, i),
        );
      }
    } else if (c === 0x29 /* ) */ && depth > 0) {
      depth--;
    }
  }
}

function describeExpectation(e: Expectation): string {
  switch (e.type) {
    case 'literal':
      return e.text.includes('"') ? `'${e.text}'` : `"${e.text}"`;
    case 'class':
      return 'character';
    case 'any':
      return 'any character';
    case 'end':
      return 'end of input';
    case 'other':
      return e.description;
  }
}

/** Readable, sorted, de-duplicated; "whitespace" only when it is the sole expectation. */
export function describeExpected(expected: readonly Expectation[]): string[] {
  const all = [...new Set(expected.map(describeExpectation))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const useful = all.filter((d) => d !== 'whitespace');
  return useful.length > 0 ? useful : all;
}

// Named things (field name, value...) read better before punctuation, "end of input" last.
function rank(description: string): number {
  if (description === 'end of input') return 2;
  return /^["']/.test(description) ? 1 : 0;
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'nothing';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function foundLength(text: string, offset: number): number {
  const m = /^[\p{L}\p{N}_]{1,20}/u.exec(text.slice(offset, offset + 20));
  return m ? m[0].length : 1;
}

function describeFound(q: string, offset: number): string {
  if (offset >= q.length) return 'end of input';
  return JSON.stringify(q.slice(offset, offset + foundLength(q, offset)));
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
