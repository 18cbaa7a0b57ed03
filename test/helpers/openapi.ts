/**
 * What the OpenAPI tests share: the routes an Express app really serves (found by walking its
 * router), the operations the document describes, and an ajv validator for the document's
 * response schemas (JSON Schema 2020-12, as OpenAPI 3.1 says).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import { openApiDocument } from '../../src/openapi/document';
import { METHODS, type OpenApiDocument, type Response } from '../../src/openapi/types';

export interface RouteKey {
  method: string;
  /** The OpenAPI form of the path: `/api/datasets/1.0/{datasetid}`. */
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  slash?: boolean;
  name?: string;
}

/** `:datasetid` → `{datasetid}`; wildcards (`*rest`) have no OpenAPI form and are reported as they are. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/**
 * Every (method, path) routed by the app. Routers must be mounted at the root (`app.use(router)`),
 * which is how src/app.ts mounts them: a router mounted under a path would have its prefix lost, so
 * the walk refuses it. `router.all()` routes (the 405 answers of the OAuth2 token endpoints) are
 * left out: they serve no method of their own.
 */
export function routesOf(app: Express): RouteKey[] {
  const out: RouteKey[] = [];
  const walk = (stack: Layer[]): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          for (const p of paths) out.push({ method, path: openApiPath(p) });
        }
      } else if (layer.handle?.stack) {
        if (layer.slash !== true) throw new Error(`A router (${layer.name ?? '?'}) is mounted under a path: routesOf cannot see its prefix`);
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

export function documentedOperations(doc: OpenApiDocument = openApiDocument()): RouteKey[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m] !== undefined).map((method) => ({ method, path })));
}

export const keyOf = (r: RouteKey): string => `${r.method.toUpperCase()} ${r.path}`;

/** The document path template that matches a concrete path (concrete segments win, as OpenAPI says). */
export function matchPath(doc: OpenApiDocument, concrete: string): string | undefined {
  const segments = concrete.replace(/\/+$/, '').split('/');
  const candidates = Object.keys(doc.paths).filter((template) => {
    const t = template.split('/');
    return t.length === segments.length && t.every((s, i) => (s.startsWith('{') && s.endsWith('}')) || s === decodeURIComponent(segments[i] ?? ''));
  });
  const literals = (t: string) => t.split('/').filter((s) => !s.startsWith('{')).length;
  return candidates.sort((a, b) => literals(b) - literals(a))[0];
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/**
 * Validates a response body against the document: the operation of (method, path), the response of
 * the status (a `$ref` followed), the schema of the media type. Throws with ajv's errors when the body
 * does not match, or when the document has no such operation, status or media type.
 */
export function responseValidator(doc: OpenApiDocument = openApiDocument()) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword('example');
  // Schemas refer to '#/components/schemas/X': the components are kept in a schema of their own
  // (id `openapi`, under $defs), and every such reference points there.
  const rewrite = (s: unknown): unknown => JSON.parse(JSON.stringify(s).replace(/"#\/components\//g, '"openapi#/$defs/components/'));
  ajv.addSchema({ $id: 'openapi', $defs: { components: rewrite(doc.components) } } as never);
  const cache = new Map<string, Validate>();

  return (method: string, concretePath: string, status: number, contentType: string, body: unknown): void => {
    const template = matchPath(doc, concretePath);
    if (!template) throw new Error(`No documented path matches ${concretePath}`);
    const op = doc.paths[template]?.[method.toLowerCase() as (typeof METHODS)[number]];
    if (!op) throw new Error(`${method} ${template} is not documented`);
    let response = op.responses[String(status)] as Response | { $ref: string } | undefined;
    if (!response) throw new Error(`${method} ${template} does not document status ${status}`);
    if ('$ref' in response) response = doc.components.responses[response.$ref.split('/').pop() ?? ''];
    const media = contentType.split(';')[0]?.trim() ?? '';
    const schema = response?.content?.[media]?.schema;
    if (!schema) throw new Error(`${method} ${template} ${status} documents no ${media} body`);
    const key = `${method} ${template} ${status} ${media}`;
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile(rewrite(schema) as object) as Validate;
      cache.set(key, validate);
    }
    if (!validate(body)) {
      throw new Error(`${key}: the body does not match the document:\n${JSON.stringify(validate.errors, null, 2).slice(0, 4000)}`);
    }
  };
}
