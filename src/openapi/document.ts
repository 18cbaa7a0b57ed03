/**
 * The OpenAPI 3.1 document of the gateway, assembled from its parts (pure data, no I/O):
 * schemas.ts (bodies), parameters.ts (v1 parameters), components.ts (headers, shared responses,
 * security schemes), paths-v1.ts (the v1 API), paths-gateway.ts (OAuth2, admin, operations, front door).
 *
 * It is served at /api/openapi.json and committed as docs/openapi.json:
 *   npm run openapi        (builds, then writes docs/openapi.json from this module)
 * Tests keep it true (docs/front-door.md, "The OpenAPI document"): the committed file equals this module's output, Redocly's
 * linter passes, every route of the Express app is documented and every documented path is routed,
 * and real responses validate against the schemas.
 */
import { HEADERS, RESPONSES, SECURITY_SCHEMES, API_SECURITY } from './components';
import { BODY_SCHEMAS } from './operations';
import { PARAMETERS } from './parameters';
import { GATEWAY_PATHS } from './paths-gateway';
import { V1_PATHS, V1_RESPONSES } from './paths-v1';
import { V21_PARAMETERS, V21_PATHS, V21_RESPONSES, V21_TAG } from './paths-v21';
import { SCHEMAS } from './schemas';
import type { OpenApiDocument } from './types';

export const OPENAPI_VERSION = '0.1.0';

const DESCRIPTION = `An open-source server of the **Opendatasoft Search API v1** over OpenSearch: clients written for
the v1 API (ods-widgets, the R and Python clients, curl) work unchanged.

Conventions of every v1 endpoint:
- GET and POST (form or JSON body) take the same parameters; trailing slashes are optional (\`/api/records/1.0/search/\`);
- repeated parameters are kept (\`facet=a&facet=b\`); empty values count as absent; unknown parameters are ignored;
- families of parameters carry a name in theirs (\`refine.<field>\`, \`y.<serie>.func\`): each is described here as one
  object parameter whose properties are sent as separate query parameters;
- \`format\`, \`callback\` (JSONP) and \`pretty_print\`; CORS on every endpoint;
- errors are v1 bodies \`{"errorcode": n, "error": "..."}\`, with \`parameter\` when one is at fault;
- the Explore API v2.1 routes (\`/api/explore/v2.1/\`, ODSQL) answer GET only, with v2.1 error bodies \`{"error_code": "...", "message": "..."}\`;
- counted calls carry \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\`, \`X-RateLimit-Reset\`; over the daily quota: 429.

Credentials: an API key (\`Authorization: Apikey <key>\` or \`apikey=\`), an OAuth2 access token (\`Authorization: Bearer\`
or \`access_token=\`). Without credentials a caller sees the public datasets only.

People: the explore pages are at [/explore/](/explore/), this reference with "Try it out" at [/console/](/console/).`;

let built: OpenApiDocument | undefined;

/** The document (built once: every app of a process, and the tests, share it; do not change it). */
export function openApiDocument(): OpenApiDocument {
  built ??= buildDocument();
  return built;
}

function buildDocument(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ods-v1-gateway: Opendatasoft Search API v1',
      version: OPENAPI_VERSION,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/', description: 'This gateway' }],
    tags: [
      { name: 'Catalog', description: 'Find datasets and read their description.' },
      { name: 'Records', description: 'Search and read records.' },
      { name: 'Analyze and maps', description: 'Aggregations, map clusters and bounding boxes.' },
      { name: 'Download', description: 'Whole filtered sets, streamed.' },
      { name: 'Files', description: 'Attachments, alternative exports, record files and thumbnails.' },
      { name: 'Push', description: 'Real-time push of records with a push key.' },
      V21_TAG,
      { name: 'OAuth2', description: 'The authorization server (authorization code with PKCE, refresh, revocation).' },
      { name: 'Administration', description: 'Users, groups, API keys, OAuth2 clients, access rules, push keys and quotas.' },
      { name: 'Operations', description: 'Health, readiness and metrics.' },
      { name: 'Front door', description: 'This document, the API console and the explore pages.' },
    ],
    security: API_SECURITY,
    paths: { ...V1_PATHS, ...V21_PATHS, ...GATEWAY_PATHS },
    components: {
      schemas: { ...SCHEMAS, ...BODY_SCHEMAS },
      parameters: { ...PARAMETERS, ...V21_PARAMETERS },
      headers: HEADERS,
      responses: { ...RESPONSES, ...V1_RESPONSES, ...V21_RESPONSES },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** The document as committed in docs/openapi.json: 2-space JSON and a final newline. */
export function openApiJson(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (require.main === module) {
  process.stdout.write(openApiJson());
}
