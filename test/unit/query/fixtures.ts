/**
 * Shared schema and helpers for the query-language tests (one helper per assertion shape, so each
 * case is a line or two, as peggy's pass tests do).
 */
import type { FieldDescriptor } from '../../../src/datasets/descriptor';
import { GatewayError } from '../../../src/errors';
import { compileQueries, compileQuery, type QueryContext } from '../../../src/query';
import type { OsQuery } from '../../../src/query/to-dsl/dsl';

export const FIELDS: FieldDescriptor[] = [
  { name: 'title', label: 'Title', type: 'text' },
  { name: 'county', label: 'County', type: 'text' },
  { name: 'tags', label: 'Tags', type: 'text', annotations: [{ name: 'multivalued', args: [','] }] },
  { name: 'population', label: 'Population', type: 'int' },
  { name: 'area', label: 'Area', type: 'double' },
  { name: 'founded', label: 'Founded', type: 'date' },
  { name: 'updated', label: 'Updated', type: 'datetime' },
  { name: 'geo', label: 'Location', type: 'geo_point_2d' },
  { name: 'shape', label: 'Shape', type: 'geo_shape' },
  { name: 'photo', label: 'Photo', type: 'file' },
  { name: 'secret', label: 'Secret', type: 'text' },
];

/** Wednesday 15 May 2024, 10:30:00.000 UTC. */
export const NOW = new Date('2024-05-15T10:30:00.000Z');

export const CTX: QueryContext = { schema: { fields: FIELDS }, now: NOW };

export function ctx(overrides: Partial<QueryContext> = {}): QueryContext {
  return { ...CTX, ...overrides };
}

export function dsl(q: string, overrides: Partial<QueryContext> = {}): OsQuery {
  return compileQuery(q, ctx(overrides));
}

export function dslAll(qs: Parameters<typeof compileQueries>[0], overrides: Partial<QueryContext> = {}): OsQuery {
  return compileQueries(qs, ctx(overrides));
}

/** The GatewayError a query raises (fails the test when it compiles). */
export function errorOf(q: string | (() => unknown), overrides: Partial<QueryContext> = {}): GatewayError {
  try {
    if (typeof q === 'string') dsl(q, overrides);
    else q();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw new Error(`expected a GatewayError, got ${String(e)}`);
  }
  throw new Error(`expected an error for ${typeof q === 'string' ? JSON.stringify(q) : 'the call'}`);
}

export const prefixWord = (w: string) => ({ match_phrase_prefix: { __all: { query: w, zero_terms_query: 'all' } } });
export const phrase = (p: string) => ({ match_phrase: { __all: { query: p, zero_terms_query: 'all' } } });

/** A node without its locations (AST expectations are about shape; locations are tested apart). */
export function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'location') out[k] = shape(v);
  return out;
}

/** Maximum nesting of objects and arrays in a JSON value. */
export function jsonDepth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + children.reduce<number>((m, c) => Math.max(m, jsonDepth(c)), 0);
}

/** Every object key in a JSON value. */
export function allKeys(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => allKeys(x, out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      allKeys(x, out);
    }
  }
  return out;
}
