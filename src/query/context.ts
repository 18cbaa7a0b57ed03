/**
 * What a query is compiled against: the caller-facing context (schema, time zone, clock,
 * attributes, limits) and the validated environment the passes share.
 */
import { fullTextPaths, type QuerySchema } from './resolve-field';
import { zoneOf, type Zone } from './zone';
import { DEFAULT_MAX_POLYGON_POINTS } from './geo';
import type { LocationRange } from './ast';

/**
 * Bounds checked before anything reaches OpenSearch (docs/security.md: Attack suite, Dataset permissions). The
 * defaults keep a query well inside OpenSearch's own limits: 1024 boolean clauses
 * (indices.query.bool.max_clause_count) and a JSON nesting far below 1000 levels.
 */
export interface QueryLimits {
  /** Characters in one q, and in all the q values of a request together (default 10 000). */
  maxLength: number;
  /** Nesting of parentheses, and of boolean operators in the AST (default 32). */
  maxDepth: number;
  /** Field queries, words, phrases and functions, summed over every q of a request (default 1024). */
  maxClauses: number;
  /** Vertices of one #polygon (default 1000). */
  maxPolygonPoints: number;
}

export const DEFAULT_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxLength: 10_000,
  maxDepth: 32,
  maxClauses: 1024,
  maxPolygonPoints: DEFAULT_MAX_POLYGON_POINTS,
});

/** SAML-style attributes of the caller, for #attr (security filters). */
export type CallerAttributes = Readonly<Record<string, string | readonly string[]>>;

export interface QueryContext {
  /** The dataset's fields (or CATALOG_DESCRIPTOR's metas) and those hidden from this caller. */
  schema: QuerySchema;
  /** The request's `timezone` parameter: an IANA name; default UTC. */
  timezone?: string;
  /** The current instant for #now; injected so results are reproducible. */
  now: Date;
  attributes?: CallerAttributes;
  limits?: Partial<QueryLimits>;
}

/** The validated context every pass receives. */
export interface CompileEnv {
  readonly schema: QuerySchema;
  readonly zone: Zone;
  readonly now: Date;
  readonly attributes: CallerAttributes;
  readonly limits: QueryLimits;
  /**
   * Where bare words, phrases and `#search(*, ...)` look: `__all` when the caller may see every
   * text field, else the caller's visible text fields (see fullTextPaths).
   */
  readonly fullText: readonly string[];
}

/** Where a pass reports a problem (peggy's `session.error` in spirit). */
export type Report = (message: string, at: LocationRange, details?: Record<string, unknown>) => void;

/**
 * The environment of one pass over one q. The check pass collects what `report` receives; the
 * translation, which only runs on checked queries, throws on it (it cannot happen).
 */
export interface PassEnv extends CompileEnv {
  readonly report: Report;
}

export function compileEnv(ctx: QueryContext): CompileEnv {
  return {
    schema: ctx.schema,
    zone: zoneOf(ctx.timezone),
    now: ctx.now,
    attributes: ctx.attributes ?? {},
    limits: ctx.limits === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...definedOnly(ctx.limits) },
    fullText: fullTextPaths(ctx.schema),
  };
}

function definedOnly(limits: Partial<QueryLimits>): Partial<QueryLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Partial<QueryLimits>;
}
