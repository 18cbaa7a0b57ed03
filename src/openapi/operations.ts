/**
 * Builders for the operations of the document, so that a v1 endpoint is written once: its GET and
 * its POST (the same parameters in a form or JSON body) come from one description.
 */
import { COMMON_API_ERRORS, RATE_LIMIT_HEADERS } from './components';
import { PARAMETERS, paramRef } from './parameters';
import { schemaRef } from './schemas';
import type { JsonSchema, MediaType, Operation, Parameter, PathItem, Ref, RequestBody, Response, SecurityRequirement } from './types';

function parameter(key: string): Parameter {
  const p = PARAMETERS[key];
  if (!p) throw new Error(`OpenAPI source: unknown parameter key "${key}"`);
  return p;
}

/**
 * The POST body schemas (components.schemas), filled as the endpoints are built: one per parameter
 * set, referenced by the form and JSON media types of its POST operations.
 */
export const BODY_SCHEMAS: Record<string, JsonSchema> = {};

/**
 * The POST body equivalent of query parameters: a form or a JSON object whose keys are the
 * parameter names (repeated values: a repeated form key, or a JSON array); families become
 * patternProperties. Descriptions are those of the query parameters of the same names.
 */
export function bodySchemaOf(keys: readonly string[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const patternProperties: Record<string, JsonSchema> = {};
  for (const key of keys) {
    const p = parameter(key);
    if (p.in !== 'query') continue;
    const s = p.schema;
    if (s.type === 'object' && s.propertyNames) {
      const pattern = (s.propertyNames as { pattern: string }).pattern;
      const item = s.additionalProperties as JsonSchema;
      patternProperties[pattern] = { anyOf: [item, { type: 'array', items: item }] };
    } else if (s.type === 'array') {
      const item = s.items as JsonSchema;
      properties[p.name] = { anyOf: [item, { type: 'array', items: item }] };
    } else {
      properties[p.name] = s;
    }
  }
  return {
    type: 'object',
    description: 'The parameters of the query string of the same names (see them for their meaning).',
    properties,
    ...(Object.keys(patternProperties).length > 0 ? { patternProperties } : {}),
  };
}

function bodyRef(name: string, keys: readonly string[]): RequestBody {
  const schema = bodySchemaOf(keys);
  const known = BODY_SCHEMAS[name];
  if (known && JSON.stringify(known) !== JSON.stringify(schema)) throw new Error(`OpenAPI source: two different bodies named ${name}`);
  BODY_SCHEMAS[name] = schema;
  return {
    description: 'The same parameters as the query string (both are read, query string first).',
    required: false,
    content: { 'application/x-www-form-urlencoded': { schema: schemaRef(name) }, 'application/json': { schema: schemaRef(name) } },
  };
}

export const jsonContent = (schema: string | JsonSchema, example?: unknown): Record<string, MediaType> => ({
  'application/json': { schema: typeof schema === 'string' ? schemaRef(schema) : schema, ...(example !== undefined ? { example } : {}) },
});

/** JSONP twin of a JSON answer (format=jsonp or a callback). */
export const JSONP: Record<string, MediaType> = {
  'application/javascript': { schema: { type: 'string', description: 'JSONP: `/**/callback(<the JSON answer>);`' } },
};
export const CSV: Record<string, MediaType> = {
  'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV with a header row; cells starting with = + - @ are protected against formula injection.' } },
};

export const ok = (description: string, content: Record<string, MediaType>, headers = RATE_LIMIT_HEADERS): Response => ({ description, headers, content });

export interface V1EndpointSpec {
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  /** Keys of PARAMETERS, path parameters first. */
  params: readonly string[];
  responses: Record<string, Response | Ref>;
  /** v1 endpoints answer GET and POST alike; false for GET only. */
  post?: boolean;
  security?: SecurityRequirement[];
}

/** A v1 endpoint: GET and POST with the same parameters, responses and the common v1 errors. */
export function v1Endpoint(spec: V1EndpointSpec): PathItem {
  const params = spec.params.map((k) => {
    parameter(k);
    return paramRef(k);
  });
  const base: Omit<Operation, 'operationId'> = {
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    parameters: params,
    responses: { ...spec.responses, ...COMMON_API_ERRORS },
    ...(spec.security ? { security: spec.security } : {}),
  };
  const item: PathItem = { get: { operationId: spec.operationId, ...base } };
  if (spec.post !== false) {
    const queryKeys = spec.params.filter((k) => parameter(k).in === 'query');
    const pathParams = spec.params.filter((k) => parameter(k).in === 'path').map(paramRef);
    // In a POST a required parameter may come in the body instead: optional in the query string.
    const queryParams = queryKeys.map((k) => (parameter(k).required ? { ...parameter(k), required: false } : paramRef(k)));
    item.post = {
      operationId: `${spec.operationId}Post`,
      ...base,
      summary: `${spec.summary} (POST)`,
      description: `${spec.description}\n\nThe parameters may be sent in the body (form or JSON), in the query string, or both.`,
      parameters: [...pathParams, ...queryParams],
      requestBody: bodyRef(`${spec.operationId.charAt(0).toUpperCase()}${spec.operationId.slice(1)}Parameters`, queryKeys),
    };
  }
  return item;
}
