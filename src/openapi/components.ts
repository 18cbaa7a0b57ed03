/**
 * Shared response headers, responses and security schemes of the OpenAPI document.
 */
import { schemaRef } from './schemas';
import type { Header, Ref, Response, SecurityRequirement } from './types';

export const headerRef = (name: string): Ref => ({ $ref: `#/components/headers/${name}` });
export const responseRef = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });

/**
 * Headers are `required` where the gateway always sends them: the X-RateLimit-* headers on every
 * answer of a counted call that reached the quota check (successes, 429), Retry-After on 429 and
 * 503. An error found before the quota check (invalid credentials, an unreadable body) has no
 * X-RateLimit-* headers: error responses list them as optional.
 */
const rateLimit = {
  'X-RateLimit-Limit': { description: 'The caller\'s daily call limit (counted API calls only).', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Calls left today.', schema: { type: 'integer', minimum: 0 } },
  'X-RateLimit-Reset': { description: 'When the count resets: Unix time in seconds (next midnight UTC).', schema: { type: 'integer' } },
};

export const HEADERS: Record<string, Header> = {
  ...Object.fromEntries(Object.entries(rateLimit).map(([name, h]) => [name, { ...h, required: true }])),
  ...Object.fromEntries(Object.entries(rateLimit).map(([name, h]) => [`${name}-if-counted`, { ...h, description: `${h.description} Present when the call reached the quota check.` }])),
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' }, required: true },
  'X-Request-Id': { description: 'The request id (kept from a sane incoming X-Request-Id), also on every log line.', schema: { type: 'string' }, required: true },
  'X-Cache': {
    description: 'Sent by the endpoints the response cache keeps (docs/response-cache.md): `hit` when the answer came from it, `miss` when it was computed.',
    schema: { type: 'string', enum: ['hit', 'miss'] },
  },
};

/** The headers of a counted API call. */
export const RATE_LIMIT_HEADERS: Record<string, Ref> = {
  'X-RateLimit-Limit': headerRef('X-RateLimit-Limit'),
  'X-RateLimit-Remaining': headerRef('X-RateLimit-Remaining'),
  'X-RateLimit-Reset': headerRef('X-RateLimit-Reset'),
  'X-Request-Id': headerRef('X-Request-Id'),
  'X-Cache': headerRef('X-Cache'),
};

/** The headers of an API error: the rate limit ones when the call was counted. */
const ERROR_HEADERS: Record<string, Ref> = {
  'X-RateLimit-Limit': headerRef('X-RateLimit-Limit-if-counted'),
  'X-RateLimit-Remaining': headerRef('X-RateLimit-Remaining-if-counted'),
  'X-RateLimit-Reset': headerRef('X-RateLimit-Reset-if-counted'),
  'X-Request-Id': headerRef('X-Request-Id'),
};

const json = (schema: string) => ({ 'application/json': { schema: schemaRef(schema) } });
const v1Error = (description: string, headers: Record<string, Ref> = ERROR_HEADERS): Response => ({
  description,
  headers,
  content: json('Error'),
});

export const RESPONSES: Record<string, Response> = {
  NotModified: {
    description: 'The `If-None-Match` header names the ETag of the current answer: no body (RFC 9110 §15.4.5). Answers written in one piece carry an ETag; streamed downloads do not.',
    headers: RATE_LIMIT_HEADERS,
  },
  BadRequest: v1Error('A parameter is missing, malformed or out of range (10400), q does not parse (10410) or names an unknown field (10411). `parameter` names it.'),
  Unauthorized: v1Error('Credentials are required (a restricted dataset and no credentials) or invalid (10401).'),
  NotFound: v1Error('Unknown dataset (10404), record (10405) or resource (10406). A dataset the caller may not see is unknown.'),
  PayloadTooLarge: v1Error('The body is larger than MAX_REQUEST_BODY_BYTES (10413).'),
  QuotaExceeded: {
    description: 'The daily quota is exhausted: 10005 for the caller (per user, or per IP for anonymous callers), 10002 for the domain-wide cap.',
    headers: { ...RATE_LIMIT_HEADERS, 'Retry-After': headerRef('Retry-After') },
    content: json('QuotaError'),
  },
  Unavailable: {
    description: 'OpenSearch is unreachable, too slow or overloaded (10503), or the quota store is down under the fail-closed policy (10504).',
    headers: { 'Retry-After': headerRef('Retry-After'), 'X-Request-Id': headerRef('X-Request-Id') },
    content: json('Error'),
  },
  InternalError: v1Error('A bug (10500): the message gives the request id to look for in the logs.', { 'X-Request-Id': headerRef('X-Request-Id') }),
  AdminUnauthorized: v1Error('No valid administrator credentials: Authorization: Bearer <ADMIN_TOKEN>, or an API key or token of an administrator.', { 'X-Request-Id': headerRef('X-Request-Id') }),
  AdminForbidden: v1Error('The caller is not an administrator.', { 'X-Request-Id': headerRef('X-Request-Id') }),
  AdminBadRequest: v1Error('Invalid input: the message says what is expected.', { 'X-Request-Id': headerRef('X-Request-Id') }),
  AdminNotFound: v1Error('Unknown name or id, or the admin API is off (ADMIN_TOKEN unset for the quota admin API).', { 'X-Request-Id': headerRef('X-Request-Id') }),
  OAuthError: {
    description: 'RFC 6749 §5.2 error (400 or 401 with WWW-Authenticate for client authentication).',
    content: json('OAuthError'),
  },
};

/** The errors every v1 API call may answer. */
export const COMMON_API_ERRORS: Record<string, Ref> = {
  // Not an error: a conditional GET whose If-None-Match names the answer's ETag (Express, and the response cache).
  '304': responseRef('NotModified'),
  '400': responseRef('BadRequest'),
  '401': responseRef('Unauthorized'),
  '404': responseRef('NotFound'),
  '413': responseRef('PayloadTooLarge'),
  '429': responseRef('QuotaExceeded'),
  '500': responseRef('InternalError'),
  '503': responseRef('Unavailable'),
};

export const ADMIN_ERRORS: Record<string, Ref> = {
  '400': responseRef('AdminBadRequest'),
  '401': responseRef('AdminUnauthorized'),
  '403': responseRef('AdminForbidden'),
  '404': responseRef('AdminNotFound'),
  '500': responseRef('InternalError'),
  '503': responseRef('Unavailable'),
};

export const SECURITY_SCHEMES: Record<string, Record<string, unknown>> = {
  apikeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'An API key in the Authorization header: the value is `Apikey <key>` (v1). The API console adds the `Apikey ` prefix for you.',
  },
  apikeyQuery: { type: 'apiKey', in: 'query', name: 'apikey', description: 'An API key as the `apikey` query parameter (v1).' },
  bearerToken: { type: 'http', scheme: 'bearer', description: 'An OAuth2 access token: `Authorization: Bearer <token>`.' },
  accessTokenQuery: { type: 'apiKey', in: 'query', name: 'access_token', description: 'An OAuth2 access token as the `access_token` query parameter.' },
  oauth2: {
    type: 'oauth2',
    description:
      'OAuth 2.0 authorization code grant (RFC 6749) with PKCE (RFC 7636, S256; required for public clients) and rotating, ' +
      'single-use refresh tokens. Register a client with the admin API or `ods-clients`; its redirect URI must match exactly. ' +
      'Metadata: /.well-known/oauth-authorization-server (RFC 8414).',
    flows: {
      authorizationCode: {
        authorizationUrl: '/oauth2/authorize/',
        tokenUrl: '/oauth2/token/',
        refreshUrl: '/oauth2/token/',
        scopes: { all: 'Everything the user may do (the only scope)' },
      },
    },
  },
  adminToken: { type: 'http', scheme: 'bearer', description: 'The operator token ADMIN_TOKEN (or the API key or access token of an administrator).' },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when it is set (otherwise /metrics is open).' },
  pushKey: { type: 'apiKey', in: 'query', name: 'pushkey', description: 'The push key of a dataset resource.' },
};

/** Anonymous callers are welcome on public datasets; any of the credentials identifies a user. */
export const API_SECURITY: SecurityRequirement[] = [
  {},
  { apikeyHeader: [] },
  { apikeyQuery: [] },
  { bearerToken: [] },
  { accessTokenQuery: [] },
  { oauth2: ['all'] },
];

export const ADMIN_SECURITY: SecurityRequirement[] = [{ adminToken: [] }, { apikeyHeader: [] }, { apikeyQuery: [] }, { bearerToken: [] }];
export const NO_SECURITY: SecurityRequirement[] = [{}];
