/**
 * q text → OpenSearch query, in passes (docs/architecture.md, habit 3; peggy's compiler pipeline):
 *
 *   limits (length) → parse (syntax; parenthesis depth) → measure (depth, clauses)
 *     → check (fields and values, all problems collected) → translate (DSL)
 *
 * Every failure is a GatewayError of kind query_syntax, query_semantic or bad_parameter (400),
 * raised before anything is sent to OpenSearch.
 */
import type { QueryNode } from './ast';
import { checkQuery } from './check';
import { compileEnv, type CompileEnv, type PassEnv, type QueryContext } from './context';
import { measure, type QuerySize } from './limits';
import { parseQuery } from './parse';
import { limitError, semanticError, type QuerySource } from './query-error';
import { toDsl, type OsQuery } from './to-dsl';
import { andQuery } from './to-dsl/boolean';

/** A q value and the parameter it came from (`q`, `q.timerange`...), for error messages. */
export interface NamedQuery {
  parameter: string;
  q: string;
}

interface CheckedQuery {
  q: string;
  source: QuerySource;
  root: QueryNode;
}

/**
 * Compiles one `q` into an OpenSearch query.
 *
 * @example
 *   compileQuery('film AND year >= 2010', { schema: { fields }, now: new Date() })
 *   // { bool: { must: [ { match_phrase_prefix: { __all: ... } }, { range: { 'fields.year': { gte: 2010 } } } ] } }
 */
export function compileQuery(q: string, ctx: QueryContext): OsQuery {
  return compileQueries([q], ctx);
}

/**
 * Compiles every `q` of a request (repeated `q`, and the `q.<name>` variants) and ANDs them, as
 * one flat `bool`. Each is parsed and checked on its own, and errors name which one failed.
 * The clause limit applies to the sum. No value, or only empty ones, gives match_all.
 */
export function compileQueries(qs: ReadonlyArray<string | NamedQuery>, ctx: QueryContext): OsQuery {
  const env = compileEnv(ctx);
  const checked: CheckedQuery[] = [];
  let clauses = 0;
  const named = qs.map((item) => (typeof item === 'string' ? { parameter: 'q', q: item } : item));
  // "value 2 of 3" counts the values of one parameter (a repeated q), not every q.<name>.
  const counts = new Map<string, number>();
  for (const n of named) counts.set(n.parameter, (counts.get(n.parameter) ?? 0) + 1);
  const seen = new Map<string, number>();
  let length = 0;
  named.forEach(({ parameter, q }) => {
    const index = seen.get(parameter) ?? 0;
    seen.set(parameter, index + 1);
    const source: QuerySource = { parameter, index, count: counts.get(parameter) ?? 1 };
    // maxLength bounds the text of ALL the q values of a request together: parsing costs the event
    // loop time in proportion to it, and a form POST may carry hundreds of values.
    length += q.length;
    if (q.length <= env.limits.maxLength && length > env.limits.maxLength) {
      throw limitError(
        source,
        `the q values of this request have more than ${env.limits.maxLength} characters together (${length} up to this one)`,
        'maxLength',
        env.limits.maxLength,
      );
    }
    const { root, size } = parseAndCheck(q, source, env);
    // A full-text clause searched field by field (a caller with a hidden text field) is one
    // OpenSearch clause per field: counted as such, so the gateway refuses before OpenSearch does.
    clauses += size.clauses + size.fullText * Math.max(0, env.fullText.length - 1);
    if (clauses > env.limits.maxClauses) {
      throw limitError(
        source,
        `the query has more than ${env.limits.maxClauses} terms, field queries and functions${env.fullText.length > 1 ? ' (a word or phrase counts once per text field searched)' : ''}`,
        'maxClauses',
        env.limits.maxClauses,
      );
    }
    checked.push({ q, source, root });
  });
  const roots = checked.map(({ q, source, root }) => toDsl(root, translateEnv(env, q, source)));
  // One AND over every q, flattened with the queries' own ANDs.
  return andQuery(roots);
}

function parseAndCheck(q: string, source: QuerySource, env: CompileEnv): { root: QueryNode; size: QuerySize } {
  const { maxLength, maxDepth } = env.limits;
  if (q.length > maxLength) {
    throw limitError(source, `the query has ${q.length} characters; at most ${maxLength} are allowed`, 'maxLength', maxLength);
  }
  const root = parseQuery(q, source, maxDepth);
  const size = measure(root, maxDepth);
  if (size.tooDeep !== undefined) {
    throw limitError(source, `operators are nested more than ${maxDepth} levels deep`, 'maxDepth', maxDepth, size.tooDeep);
  }
  const diagnostics = checkQuery(root, env);
  if (diagnostics.length > 0) throw semanticError(q, source, diagnostics);
  return { root, size };
}

function translateEnv(env: CompileEnv, q: string, source: QuerySource): PassEnv {
  return {
    ...env,
    report: (message, at, details) => {
      throw semanticError(q, source, [{ message, start: at.start, ...(details === undefined ? {} : { details }) }]);
    },
  };
}
