/**
 * The gateway's own paths: the OAuth2 authorization server, the admin APIs (identity, push keys,
 * quotas), operations (health, readiness, metrics) and the front door (this document, the API
 * console, the explore pages).
 */
import { ADMIN_ERRORS, ADMIN_SECURITY, NO_SECURITY, headerRef, responseRef } from './components';
import { jsonContent } from './operations';
import { paramRef } from './parameters';
import { schemaRef } from './schemas';
import type { JsonSchema, Operation, Parameter, PathItem, RequestBody, Response } from './types';

const OAUTH2 = 'OAuth2';
const ADMIN = 'Administration';
const OPS = 'Operations';
const FRONT = 'Front door';

const HTML = { 'text/html': { schema: { type: 'string' } } };
const noStore = { 'Cache-Control': { description: 'no-store', schema: { type: 'string' }, required: true } };

const q = (name: string, description: string, schema: JsonSchema = { type: 'string' }, required = false): Parameter => ({
  name,
  in: 'query',
  description,
  schema,
  ...(required ? { required: true } : {}),
});
const p = (name: string, description: string): Parameter => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

const form = (properties: Record<string, JsonSchema>, required: string[] = []): RequestBody => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) } } },
});
const jsonBody = (schema: JsonSchema, description?: string): RequestBody => ({
  required: true,
  ...(description ? { description } : {}),
  content: { 'application/json': { schema } },
});

const authorizeParams: Parameter[] = [
  q('response_type', 'code', { type: 'string', enum: ['code'] }, true),
  q('client_id', 'The registered client', { type: 'string' }, true),
  q('redirect_uri', 'One of the client\'s registered redirect URIs (exact match; optional when it has only one)'),
  q('state', 'Returned unchanged to the client (CSRF protection on its side)'),
  q('scope', '`all` (the only scope; optional)'),
  q('code_challenge', 'PKCE (RFC 7636): BASE64URL(SHA256(code_verifier)); required for public clients'),
  q('code_challenge_method', 'S256 (plain is accepted but not advertised)', { type: 'string', enum: ['S256', 'plain'] }),
];

function admin(operationId: string, summary: string, extra: Partial<Operation> & { responses: Record<string, Response> }): Operation {
  return {
    operationId,
    summary,
    tags: [ADMIN],
    security: ADMIN_SECURITY,
    ...extra,
    responses: { ...extra.responses, ...ADMIN_ERRORS },
  };
}
/** The identity and push admin APIs answer with Cache-Control: no-store; the quota admin API does not. */
const adminOk = (description: string, schema: string | JsonSchema, status = '200', noStoreHeader = true): Record<string, Response> => ({
  [status]: {
    description,
    ...(noStoreHeader ? { headers: { 'Cache-Control': { description: 'no-store', schema: { type: 'string' }, required: true } } } : {}),
    content: jsonContent(schema),
  },
});
const quotaOk = (description: string, schema: string | JsonSchema) => adminOk(description, schema, '200', false);
const noContent = (description: string): Record<string, Response> => ({ '204': { description } });
const list = (key: string, schema: string): JsonSchema => ({
  type: 'object',
  required: [key],
  additionalProperties: false,
  properties: { [key]: { type: 'array', items: schemaRef(schema) } },
});

const IDENTITY = '/admin/identity';

export const GATEWAY_PATHS: Record<string, PathItem> = {
  // ---- OAuth2 ---------------------------------------------------------------------------------
  '/oauth2/authorize': {
    get: {
      operationId: 'oauth2Authorize',
      summary: 'Authorization endpoint (login and consent pages)',
      description:
        'RFC 6749 §4.1.1. Shows the login page, then the consent page; Allow redirects to the client with `code` and `state`. ' +
        'A bad client or redirect URI is shown as an error page, other errors are redirected to the client (RFC 6749 §4.1.2.1).',
      tags: [OAUTH2],
      security: NO_SECURITY,
      parameters: authorizeParams,
      responses: {
        '200': { description: 'The login or consent page.', content: HTML },
        '302': { description: 'Back to the client with code and state (or error).', headers: { Location: { description: 'The client\'s redirect URI', schema: { type: 'string' } } } },
        '400': { description: 'Unknown client or redirect URI: an error page (never a redirect).', content: HTML },
      },
    },
    post: {
      operationId: 'oauth2AuthorizeForm',
      summary: 'Authorization endpoint (form posts of the login and consent pages)',
      description: 'The login and consent forms post here, with the authorization request and a CSRF token.',
      tags: [OAUTH2],
      security: NO_SECURITY,
      requestBody: form(
        {
          csrf_token: { type: 'string' },
          action: { type: 'string', enum: ['login', 'approve', 'deny'] },
          username: { type: 'string' },
          password: { type: 'string', format: 'password' },
          response_type: { type: 'string' },
          client_id: { type: 'string' },
          redirect_uri: { type: 'string' },
          state: { type: 'string' },
          scope: { type: 'string' },
          code_challenge: { type: 'string' },
          code_challenge_method: { type: 'string' },
        },
        ['csrf_token', 'action'],
      ),
      responses: {
        '200': { description: 'The consent page again (approve without a login).', content: HTML },
        '302': { description: 'Back to the client (approve: code; deny: error=access_denied).' },
        '303': { description: 'Logged in: to the consent page.' },
        '400': { description: 'Error page.', content: HTML },
        '401': { description: 'Wrong username or password: the login page again.', content: HTML },
        '403': { description: 'The CSRF token does not match (the form expired).', content: HTML },
      },
    },
  },
  '/oauth2/token': {
    post: {
      operationId: 'oauth2Token',
      summary: 'Token endpoint',
      description:
        'RFC 6749 §4.1.3 (authorization_code, with code_verifier for PKCE) and §6 (refresh_token: single-use, rotating; a reused ' +
        'refresh token revokes its grant). Client authentication: HTTP Basic, client_secret in the body, or none for public clients.',
      tags: [OAUTH2],
      security: NO_SECURITY,
      requestBody: form(
        {
          grant_type: { type: 'string', enum: ['authorization_code', 'refresh_token'] },
          code: { type: 'string' },
          redirect_uri: { type: 'string' },
          code_verifier: { type: 'string' },
          refresh_token: { type: 'string' },
          client_id: { type: 'string' },
          client_secret: { type: 'string' },
          scope: { type: 'string' },
        },
        ['grant_type'],
      ),
      responses: {
        '200': { description: 'The tokens.', headers: noStore, content: jsonContent('TokenResponse') },
        '400': responseRef('OAuthError'),
        '401': responseRef('OAuthError'),
        '405': { description: 'Not POST.', content: jsonContent('OAuthError') },
        '503': { description: 'The token store is unavailable (temporarily_unavailable).', headers: { 'Retry-After': headerRef('Retry-After') }, content: jsonContent('OAuthError') },
      },
    },
  },
  '/oauth2/revoke': {
    post: {
      operationId: 'oauth2Revoke',
      summary: 'Revocation endpoint',
      description: 'RFC 7009: revokes an access or refresh token (and the grant of a refresh token). Unknown tokens are a success too.',
      tags: [OAUTH2],
      security: NO_SECURITY,
      requestBody: form({ token: { type: 'string' }, token_type_hint: { type: 'string' }, client_id: { type: 'string' }, client_secret: { type: 'string' } }, ['token']),
      responses: {
        '200': { description: 'Revoked (or unknown).', content: jsonContent({ type: 'object', maxProperties: 0 }) },
        '400': responseRef('OAuthError'),
        '401': responseRef('OAuthError'),
        '405': { description: 'Not POST.', content: jsonContent('OAuthError') },
      },
    },
  },
  '/.well-known/oauth-authorization-server': {
    get: {
      operationId: 'oauth2Metadata',
      summary: 'Authorization server metadata',
      description: 'RFC 8414. With a PUBLIC_URL that has a path, also at /.well-known/oauth-authorization-server<path>.',
      tags: [OAUTH2],
      security: NO_SECURITY,
      responses: { '200': { description: 'The metadata.', content: jsonContent('AuthorizationServerMetadata') } },
    },
  },

  // ---- Administration: identity ---------------------------------------------------------------
  [`${IDENTITY}/users`]: {
    get: admin('listUsers', 'List users', { responses: adminOk('The users.', list('users', 'User')) }),
    post: admin('putUser', 'Create or replace a user', { requestBody: jsonBody(schemaRef('UserInput')), responses: adminOk('The user.', 'User', '201') }),
  },
  [`${IDENTITY}/users/{username}`]: {
    get: admin('getUser', 'Get a user', { parameters: [p('username', 'The user')], responses: adminOk('The user.', 'User') }),
    patch: admin('patchUser', 'Change a user', { parameters: [p('username', 'The user')], requestBody: jsonBody(schemaRef('UserInput')), responses: adminOk('The user.', 'User') }),
    delete: admin('deleteUser', 'Delete a user and its API keys', { parameters: [p('username', 'The user')], responses: noContent('Deleted.') }),
  },
  [`${IDENTITY}/groups`]: {
    get: admin('listGroups', 'List groups', { responses: adminOk('The groups.', list('groups', 'Group')) }),
    post: admin('putGroup', 'Create or replace a group', {
      requestBody: jsonBody({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, attributes: { type: 'object' } } }),
      responses: adminOk('The group.', 'Group', '201'),
    }),
  },
  [`${IDENTITY}/groups/{name}`]: {
    delete: admin('deleteGroup', 'Delete a group', { parameters: [p('name', 'The group')], responses: noContent('Deleted.') }),
  },
  [`${IDENTITY}/apikeys`]: {
    get: admin('listApiKeys', 'List API keys (never the keys themselves)', { parameters: [q('username', 'Only this user\'s keys')], responses: adminOk('The keys.', list('apikeys', 'ApiKey')) }),
    post: admin('createApiKey', 'Create an API key (shown once)', {
      requestBody: jsonBody({ type: 'object', required: ['username'], properties: { username: { type: 'string' }, label: { type: 'string' } } }),
      responses: adminOk('The key, with `key` (the secret, shown this once).', 'NewApiKey', '201'),
    }),
  },
  [`${IDENTITY}/apikeys/{keyId}`]: {
    delete: admin('revokeApiKey', 'Revoke an API key', { parameters: [p('keyId', 'The key id')], responses: noContent('Revoked.') }),
  },
  [`${IDENTITY}/clients`]: {
    get: admin('listClients', 'List OAuth2 clients', { responses: adminOk('The clients.', list('clients', 'OAuthClient')) }),
    post: admin('registerClient', 'Register an OAuth2 client', {
      requestBody: jsonBody({
        type: 'object',
        required: ['name', 'type'],
        properties: {
          name: { type: 'string' },
          type: { type: 'string', enum: ['public', 'confidential'] },
          redirect_uris: { type: 'array', items: { type: 'string' } },
          redirect_uri: { type: 'string', description: 'v1 registers one redirection URL' },
        },
      }),
      responses: adminOk('The client (with client_secret for a confidential client, shown this once).', 'OAuthClient', '201'),
    }),
  },
  [`${IDENTITY}/clients/{clientId}`]: {
    delete: admin('deleteClient', 'Delete an OAuth2 client', { parameters: [p('clientId', 'The client id')], responses: noContent('Deleted.') }),
  },
  [`${IDENTITY}/access-rules`]: {
    get: admin('listAccessRules', 'List access rules', { parameters: [q('dataset', 'Only this dataset\'s rules')], responses: adminOk('The rules.', list('access_rules', 'AccessRule')) }),
    put: admin('putAccessRule', 'Set an access rule', {
      requestBody: jsonBody({
        type: 'object',
        required: ['dataset', 'subject'],
        properties: {
          dataset: { type: 'string' },
          subject: { type: 'string', description: 'user:<name>, group:<name> or anonymous' },
          record_filter: { type: 'string' },
          hidden_fields: { type: 'array', items: { type: 'string' } },
        },
      }),
      responses: adminOk('The rule.', 'AccessRule'),
    }),
  },
  [`${IDENTITY}/access-rules/{dataset}/{subject}`]: {
    delete: admin('deleteAccessRule', 'Delete an access rule', { parameters: [p('dataset', 'The dataset'), p('subject', 'user:<name>, group:<name> or anonymous')], responses: noContent('Deleted.') }),
  },

  // ---- Administration: push keys --------------------------------------------------------------
  '/admin/push/keys': {
    get: admin('listPushKeys', 'List push keys (never the keys themselves)', { parameters: [q('dataset', 'Only this dataset\'s keys')], responses: adminOk('The keys.', list('keys', 'PushKey')) }),
    post: admin('createPushKey', 'Create a push key (shown once)', {
      requestBody: jsonBody({ type: 'object', required: ['dataset', 'resource'], properties: { dataset: { type: 'string' }, resource: { type: 'string' }, label: { type: 'string' } } }),
      responses: adminOk('The key (with `key`).', 'PushKey', '201'),
    }),
  },
  '/admin/push/keys/{keyid}': {
    delete: admin('revokePushKey', 'Revoke a push key', { parameters: [p('keyid', 'The key id')], responses: noContent('Revoked.') }),
  },
  '/admin/push/datasets/{datasetid}': {
    get: admin('getPushState', 'Is push enabled for a dataset', { parameters: [paramRef('datasetid')], responses: adminOk('The state.', 'PushDatasetState') }),
    put: admin('setPushState', 'Enable or disable push for a dataset', {
      parameters: [paramRef('datasetid')],
      requestBody: jsonBody({ type: 'object', required: ['push_enabled'], properties: { push_enabled: { type: 'boolean' } } }),
      responses: adminOk('The new state.', 'PushDatasetState'),
    }),
  },

  // ---- Administration: quotas (only when ADMIN_TOKEN is set) ----------------------------------
  '/admin/quota/usage': {
    get: admin('quotaUsage', 'Calls of an identity today', {
      parameters: [q('identity', 'user:<id> or ip:<address>', { type: 'string' }, true)],
      responses: quotaOk('The usage.', 'QuotaUsage'),
    }),
  },
  '/admin/quota/top': {
    get: admin('quotaTop', 'The heaviest identities', {
      parameters: [q('n', 'How many (default 10)', { type: 'integer', minimum: 1, maximum: 1000 }), q('day', 'YYYY-MM-DD: today (default) or yesterday', { type: 'string', format: 'date' })],
      responses: quotaOk('The top identities.', 'QuotaTop'),
    }),
  },
  '/admin/quota/domain': {
    get: admin('quotaDomain', 'The domain-wide counter of today', { responses: quotaOk('The counter.', 'QuotaDomain') }),
  },
  '/admin/quota/overrides': {
    get: admin('quotaOverrides', 'Every per-identity limit', {
      responses: quotaOk('The overrides.', { type: 'object', required: ['overrides'], properties: { overrides: { type: 'object', additionalProperties: { type: 'integer' } } } }),
    }),
  },
  '/admin/quota/overrides/{identity}': {
    put: admin('setQuotaOverride', 'Set an identity\'s daily limit', {
      parameters: [p('identity', 'user:<id> or ip:<address>')],
      requestBody: jsonBody({ type: 'object', required: ['limit'], properties: { limit: { type: 'integer', minimum: 0 } } }),
      responses: quotaOk('The override.', 'QuotaOverride'),
    }),
    delete: admin('clearQuotaOverride', 'Back to the default limit of its kind', { parameters: [p('identity', 'user:<id> or ip:<address>')], responses: quotaOk('limit null.', 'QuotaOverride') }),
  },

  // ---- Operations -----------------------------------------------------------------------------
  '/healthz': {
    get: {
      operationId: 'health',
      summary: 'Liveness',
      description: 'The process answers (no dependency is checked). Not counted in quotas.',
      tags: [OPS],
      security: NO_SECURITY,
      responses: { '200': { description: 'Alive.', content: jsonContent('Health') } },
    },
  },
  '/readyz': {
    get: {
      operationId: 'readiness',
      summary: 'Readiness',
      description: 'OpenSearch answers (and Redis, when configured). Not counted in quotas.',
      tags: [OPS],
      security: NO_SECURITY,
      responses: {
        '200': { description: 'Ready.', content: jsonContent('Readiness') },
        '503': { description: 'A dependency is down.', headers: { 'Retry-After': headerRef('Retry-After') }, content: jsonContent('Readiness') },
      },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description: 'The Prometheus text exposition (names in ops/prometheus/METRICS.md). Not counted in quotas.',
      tags: [OPS],
      security: [{}, { metricsToken: [] }],
      responses: {
        '200': { description: 'The metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
        '401': { description: 'METRICS_TOKEN is set and was not sent (10401).', content: jsonContent('Error') },
      },
    },
  },

  // ---- Front door -----------------------------------------------------------------------------
  '/': {
    get: {
      operationId: 'home',
      summary: 'Home',
      description: 'The catalog page of /explore/, for a person who opens the gateway\'s address in a browser.',
      tags: [FRONT],
      security: NO_SECURITY,
      responses: { '200': { description: 'The page.', content: HTML } },
    },
  },
  '/api/openapi.json': {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      description: 'The OpenAPI 3.1 description of the gateway (also docs/openapi.json in the repository). Not counted in quotas.',
      tags: [FRONT],
      security: NO_SECURITY,
      responses: { '200': { description: 'The document.', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'], properties: { openapi: { const: '3.1.0' }, paths: { type: 'object' } } } } } } },
    },
  },
  '/console': {
    get: {
      operationId: 'console',
      summary: 'API console',
      description: 'An interactive reference built from this document (Swagger UI), whose "Try it out" calls the gateway with the visitor\'s API key or token.',
      tags: [FRONT],
      security: NO_SECURITY,
      responses: { '200': { description: 'The page.', content: HTML } },
    },
  },
  '/explore': {
    get: {
      operationId: 'exploreCatalog',
      summary: 'Explore the catalog',
      description: 'A page to find datasets (search, theme and keyword facets). It reads the catalog API with the visitor\'s credentials.',
      tags: [FRONT],
      security: NO_SECURITY,
      responses: { '200': { description: 'The page.', content: HTML } },
    },
  },
  '/explore/dataset/{datasetid}': {
    get: {
      operationId: 'exploreDataset',
      summary: 'Explore a dataset',
      description: 'A page to search, filter, map, chart and export one dataset, through the v1 API with the visitor\'s credentials.',
      tags: [FRONT],
      security: NO_SECURITY,
      parameters: [paramRef('datasetid')],
      responses: { '200': { description: 'The page (the dataset is read by the page; an unknown dataset is shown as such).', content: HTML } },
    },
  },
};

