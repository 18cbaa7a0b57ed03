/**
 * Real answers of the gateway (on the sample datasets, with quotas, authentication, push and the
 * admin APIs on) validated against the OpenAPI document: the status must be documented for the
 * operation, the body must match the schema of its media type (ajv, JSON Schema 2020-12), and every
 * header the document promises (X-RateLimit-*, Retry-After, X-Request-Id...) must be there. A body
 * that grows, loses or retypes a key the document closes fails here.
 *
 * And every documented path with a JSON answer is exercised by at least one case below.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { inMemoryAuth } from '../../src/auth/services';
import { createMetrics } from '../../src/metrics/metrics';
import { directoryFileStore } from '../../src/files/file-store';
import { openSearchPushLog } from '../../src/push/push-log';
import { memoryPushKeyStore, pushKeys } from '../../src/push/push-keys';
import { pushService } from '../../src/push/push-service';
import { openApiDocument } from '../../src/openapi/document';
import { METHODS, type Response as DocResponse } from '../../src/openapi/types';
import { matchPath, responseValidator } from '../helpers/openapi';
import { closeTestContext, testContext } from '../helpers/integration';
import { memoryQuotaStore, quotaService } from '../helpers/quota-support';

jest.setTimeout(120_000);

const ADMIN = 'admin-token-for-openapi-tests-0123';
const doc = openApiDocument();
const validate = responseValidator(doc);
const ctx = testContext();
const dir = mkdtempSync(join(tmpdir(), 'openapi-int-'));
let app: Express;
let tinyQuotaApp: Express;
let userKey: string;
let movieRecordId: string;
const exercised = new Set<string>();

function build(limit: number): Express {
  const backend = openSearchBackend(ctx.client, ctx.names);
  const files = directoryFileStore(join(dir, 'files'));
  return createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    auth,
    quota: quotaService(memoryQuotaStore(), { anonymousDailyLimit: limit, userDailyLimit: limit }),
    metrics: createMetrics({ defaultMetrics: false }),
    tokens: { admin: ADMIN },
    files,
    push: { service: pushService({ backend, files, log: openSearchPushLog(ctx.client, ctx.names) }), keys: pushKeys(memoryPushKeyStore()) },
  });
}
const auth = inMemoryAuth();

beforeAll(async () => {
  await auth.identity.putUser({ username: 'reader' });
  userKey = (await auth.identity.createApiKey({ username: 'reader' })).key;
  app = build(1_000_000);
  tinyQuotaApp = build(1);
  const found = await request(app).get('/api/records/1.0/search/?dataset=movies&rows=1');
  movieRecordId = (found.body as { records: { recordid: string }[] }).records[0]!.recordid;
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeTestContext();
});

interface Case {
  method?: 'get' | 'post' | 'put' | 'patch' | 'delete';
  url: string | (() => string);
  status: number;
  form?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
  app?: () => Express;
  /** Send it this many times and check the last answer (default 1). */
  times?: number;
}

const admin = { Authorization: `Bearer ${ADMIN}` };

const CASES: Record<string, Case> = {
  'catalog search with facets': { url: '/api/datasets/1.0/search/?facet=theme&facet=keyword&facet=modified&rows=2', status: 200 },
  'catalog search, POST form': { method: 'post', url: '/api/datasets/1.0/search/', form: { q: 'earthquakes', extrametas: 'true', interopmetas: 'true' }, status: 200 },
  'catalog search refined and excluded': { url: '/api/datasets/1.0/search/?facet=theme&refine.theme=Geography&exclude.keyword=cities', status: 200 },
  'dataset lookup with extra and interop metas': { url: '/api/datasets/1.0/earthquakes/?extrametas=true&interopmetas=true', status: 200 },
  'record search with a date hierarchy opened': { url: '/api/records/1.0/search/?dataset=earthquakes&facet=time&facet=net&refine.time=2018/02&exclude.net=us&rows=3&q=mag>2&q=place:alaska', status: 200 },
  'record search, POST JSON with a user key': {
    method: 'post',
    url: '/api/records/1.0/search/',
    json: { dataset: 'movies', facet: ['major_genre', 'release_date'], rows: 2, sort: '-imdb_rating' },
    headers: { Authorization: `Apikey ${'KEY'}` },
    status: 200,
  },
  'record search with a distance and its dist': { url: '/api/records/1.0/search/?dataset=geonames-cities&geofilter.distance=48.8566,2.3522,3000&sort=dist&rows=2', status: 200 },
  'record search as GeoJSON (shapes)': { url: '/api/records/1.0/search/?dataset=countries&format=geojson&rows=2', status: 200 },
  'record search without hits (no facet groups)': { url: '/api/records/1.0/search/?dataset=movies&q=zzzzzzzz&facet=mpaa_rating', status: 200 },
  'record search, dataset in the path': { url: '/api/datasets/1.0/seattle-weather/records/?rows=2&facet=weather', status: 200 },
  'record lookup': { url: () => `/api/datasets/1.0/movies/records/${movieRecordId}/`, status: 200 },
  'analyze by year': { url: '/api/records/1.0/analyze/?dataset=seattle-weather&x=date.year&y.t.func=AVG&y.t.expr=temp_max&y.n.func=COUNT', status: 200 },
  'analyze, quantiles and several fields': { url: '/api/records/1.0/analyze/?dataset=seattle-weather&x=weather&x=date.year&y.q.func=QUANTILES&y.q.expr=wind&y.q.subsets=25,75', status: 200 },
  'analyze without x': { url: '/api/datasets/1.0/movies/records/analyze/?y.s.func=SUM&y.s.expr=us_gross&y.m.func=MAX&y.m.expr=imdb_rating', status: 200 },
  'analyze with post-aggregations': { url: '/api/records/1.0/analyze/?dataset=seattle-weather&x=date.year&y.t.func=AVG&y.t.expr=temp_max&agg.r.func=MIN,MAX&agg.r.expr=t', status: 200 },
  'geocluster with a serie': { url: '/api/records/1.0/geocluster/?dataset=earthquakes&clusterprecision=2&y.m.func=MAX&y.m.expr=mag', status: 200 },
  'geocluster, dataset in the path, heatmap': { url: '/api/datasets/1.0/geonames-cities/records/geocluster/?clusterprecision=1&clustermode=heatmap&refine.country_code=FR', status: 200 },
  'geopreview of shapes at world zoom': { url: '/api/records/1.0/geopreview/?dataset=us-counties&clusterprecision=2&rows=50', status: 200 },
  'geopreview of points, dataset in the path': { url: '/api/datasets/1.0/earthquakes/records/geopreview/?clusterprecision=3&rows=5', status: 200 },
  'geopolygon of shapes with a serie': { url: '/api/records/1.0/geopolygon/?dataset=us-counties&clusterprecision=3&refine.state=Texas&y.s.func=COUNT', status: 200 },
  'geopolygon, dataset in the path, by location': { url: '/api/datasets/1.0/earthquakes/records/geopolygon/?clusterprecision=2&geofilter.bbox=50,-170,70,-130', status: 200 },
  'record search by geo_digest': { url: '/api/records/1.0/search/?dataset=us-counties&rows=1&geo_digest=no-such-digest', status: 200 },
  'boundingbox of shapes': { url: '/api/records/1.0/boundingbox/?dataset=countries', status: 200 },
  'boundingbox of nothing': { url: '/api/datasets/1.0/earthquakes/records/boundingbox/?q=mag>100', status: 200 },
  'download as JSON': { url: '/api/records/1.0/download/?dataset=movies&format=json&rows=3', status: 200 },
  'download as GeoJSON, dataset in the path': { url: '/api/datasets/1.0/earthquakes/records/download/?format=geojson&rows=2', status: 200 },
  'download, portal URL': { url: '/explore/dataset/countries/download/?format=geojson&rows=1&geo_simplify=true', status: 200 },

  'a bad parameter': { url: '/api/records/1.0/search/?dataset=movies&rows=many', status: 400 },
  'a query that does not parse': { url: '/api/records/1.0/search/?dataset=movies&q=(title:', status: 400 },
  'a query on an unknown field': { url: '/api/records/1.0/search/?dataset=movies&q=nosuchfield:1', status: 400 },
  'an analyze expression error': { url: '/api/records/1.0/analyze/?dataset=movies&y.s.func=AVG&y.s.expr=us_gross+*', status: 400 },
  'an unknown dataset': { url: '/api/records/1.0/search/?dataset=no-such-dataset', status: 404 },
  'an unknown record': { url: '/api/datasets/1.0/movies/records/no-such-record/', status: 404 },
  'an invalid API key': { url: '/api/datasets/1.0/search/', headers: { Authorization: 'Apikey not-a-key' }, status: 401 },
  'over the quota': { url: '/api/datasets/1.0/movies/', status: 429, app: () => tinyQuotaApp, times: 2 },
  'v2.1: datasets list': { url: '/api/explore/v2.1/catalog/datasets/?limit=3', status: 200 },
  'v2.1: dataset lookup': { url: '/api/explore/v2.1/catalog/datasets/earthquakes/', status: 200 },
  'v2.1: records with where and order_by': { url: `/api/explore/v2.1/catalog/datasets/earthquakes/records/?where=${encodeURIComponent('mag > 2')}&order_by=mag%20desc&limit=3`, status: 200 },
  'v2.1: groups': { url: `/api/explore/v2.1/catalog/datasets/movies/records/?select=${encodeURIComponent('count(*) as n, avg(imdb_rating)')}&group_by=major_genre`, status: 200 },
  'v2.1: a where that does not parse': { url: '/api/explore/v2.1/catalog/datasets/movies/records/?where=imdb_rating%20%3E', status: 400 },
  'v2.1: unknown dataset': { url: '/api/explore/v2.1/catalog/datasets/nope/records', status: 404 },
  'v2.1: a record': { url: () => `/api/explore/v2.1/catalog/datasets/movies/records/${movieRecordId}`, status: 200 },
  'v2.1: catalog facets': { url: '/api/explore/v2.1/catalog/facets?facet=publisher&facet=theme', status: 200 },
  'v2.1: facets': { url: '/api/explore/v2.1/catalog/datasets/movies/facets?facet=major_genre', status: 200 },
  'v2.1: export json': { url: `/api/explore/v2.1/catalog/datasets/movies/exports/json?limit=3`, status: 200 },
  'v2.1: over the quota': { url: '/api/explore/v2.1/catalog/datasets/movies', status: 429, app: () => tinyQuotaApp, times: 2 },
  'a push with a wrong key': { method: 'post', url: '/api/push/1.0/movies/live/push/?pushkey=wrong', json: { title: 'x' }, status: 401 },
  'a push delete with a wrong key': { method: 'post', url: '/api/push/1.0/movies/live/delete/?pushkey=wrong', json: { title: 'x' }, status: 401 },
  'a push delete by id with a wrong key': { url: '/api/push/1.0/movies/live/some-id/delete/?pushkey=wrong', status: 401 },

  health: { url: '/healthz', status: 200 },
  readiness: { url: '/readyz', status: 200 },
  'metrics (text)': { url: '/metrics', status: 200 },
  'OAuth2 metadata': { url: '/.well-known/oauth-authorization-server', status: 200 },
  'OAuth2 token error': { method: 'post', url: '/oauth2/token/', form: { grant_type: 'password' }, status: 401 },
  'OAuth2 revocation without a client': { method: 'post', url: '/oauth2/revoke/', form: { token: 'x' }, status: 401 },
  'the OpenAPI document': { url: '/api/openapi.json', status: 200 },

  'admin: create a user': { method: 'post', url: '/admin/identity/users', json: { username: 'someone', groups: ['g'], attributes: { region: 'north' } }, headers: admin, status: 201 },
  'admin: list users': { url: '/admin/identity/users', headers: admin, status: 200 },
  'admin: get a user': { url: '/admin/identity/users/someone', headers: admin, status: 200 },
  'admin: change a user': { method: 'patch', url: '/admin/identity/users/someone', json: { admin: false }, headers: admin, status: 200 },
  'admin: create a group': { method: 'post', url: '/admin/identity/groups', json: { name: 'g', attributes: {} }, headers: admin, status: 201 },
  'admin: list groups': { url: '/admin/identity/groups', headers: admin, status: 200 },
  'admin: create an API key': { method: 'post', url: '/admin/identity/apikeys', json: { username: 'someone', label: 'test' }, headers: admin, status: 201 },
  'admin: list API keys': { url: '/admin/identity/apikeys?username=someone', headers: admin, status: 200 },
  'admin: register a client': { method: 'post', url: '/admin/identity/clients', json: { name: 'app', type: 'confidential', redirect_uris: ['https://app.example/cb'] }, headers: admin, status: 201 },
  'admin: list clients': { url: '/admin/identity/clients', headers: admin, status: 200 },
  'admin: set an access rule': { method: 'put', url: '/admin/identity/access-rules', json: { dataset: 'movies', subject: 'user:someone', record_filter: 'imdb_rating > 5', hidden_fields: ['us_gross'] }, headers: admin, status: 200 },
  'admin: list access rules': { url: '/admin/identity/access-rules?dataset=movies', headers: admin, status: 200 },
  'admin: not an administrator': { url: '/admin/identity/users', headers: { Authorization: `Apikey ${'KEY'}` }, status: 403 },
  'admin: anonymous': { url: '/admin/identity/users', status: 401 },
  'admin: unknown user': { url: '/admin/identity/users/nobody', headers: admin, status: 404 },
  'admin: create a push key': { method: 'post', url: '/admin/push/keys', json: { dataset: 'movies', resource: 'live', label: 'test' }, headers: admin, status: 201 },
  'admin: list push keys': { url: '/admin/push/keys?dataset=movies', headers: admin, status: 200 },
  'admin: push state': { url: '/admin/push/datasets/movies', headers: admin, status: 200 },
  'admin: set the push state': { method: 'put', url: '/admin/push/datasets/movies', json: { push_enabled: true }, headers: admin, status: 200 },
  'admin: quota usage': { url: '/admin/quota/usage?identity=user:reader', headers: admin, status: 200 },
  'admin: quota top': { url: '/admin/quota/top?n=3', headers: admin, status: 200 },
  'admin: quota of the domain': { url: '/admin/quota/domain', headers: admin, status: 200 },
  'admin: set a quota override': { method: 'put', url: '/admin/quota/overrides/user:reader', json: { limit: 50 }, headers: admin, status: 200 },
  'admin: quota overrides': { url: '/admin/quota/overrides', headers: admin, status: 200 },
  'admin: clear a quota override': { method: 'delete', url: '/admin/quota/overrides/user:reader', headers: admin, status: 200 },
  'admin: a bad quota identity': { url: '/admin/quota/usage?identity=nobody', headers: admin, status: 400 },
};

/** The headers the document says are always there (`required: true`) on this answer. */
function requiredHeaders(method: string, path: string, status: number): string[] {
  const template = matchPath(doc, path);
  const op = template ? doc.paths[template]?.[method as (typeof METHODS)[number]] : undefined;
  let r = op?.responses[String(status)] as DocResponse | { $ref: string } | undefined;
  if (r && '$ref' in r) r = doc.components.responses[r.$ref.split('/').pop() ?? ''];
  return Object.entries(r?.headers ?? {})
    .filter(([, h]) => ('$ref' in h ? doc.components.headers[h.$ref.split('/').pop() ?? '']?.required : h.required) === true)
    .map(([name]) => name);
}

describe('real answers match the OpenAPI document', () => {
  it.each(Object.entries(CASES))('%s', async (_name, c) => {
    const method = c.method ?? 'get';
    const url = typeof c.url === 'function' ? c.url() : c.url;
    const send = () => {
      let req = request((c.app ?? (() => app))())[method](url);
      for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v.replace('KEY', userKey));
      if (c.form) req = req.type('form').send(c.form);
      if (c.json !== undefined) req = req.send(c.json as object);
      return req;
    };
    for (let i = 1; i < (c.times ?? 1); i++) await send();
    const res = await send();
    expect({ status: res.status, body: res.status === c.status ? 'as expected' : res.text.slice(0, 500) }).toEqual({ status: c.status, body: 'as expected' });
    const path = new URL(url, 'http://x').pathname;
    const contentType = String(res.headers['content-type'] ?? '');
    if (contentType.startsWith('application/json')) validate(method, path, res.status, contentType, res.body);
    else if (res.status !== 204) validate(method, path, res.status, contentType, res.text);
    for (const h of requiredHeaders(method, path, res.status)) expect([h, res.headers[h.toLowerCase()] !== undefined]).toEqual([h, true]);
    exercised.add(`${method} ${matchPath(doc, path)}`);
  });

  it('exercises every documented path that answers JSON', () => {
    // Files answer bytes, and the pages HTML: they are not in this list. Some paths are exercised
    // with an error only: a push succeeds only by writing to a sample dataset, a token needs the
    // whole OAuth2 flow (test/integration/auth-oauth2.int.test.ts runs it).
    const resolved = (r: DocResponse | { $ref: string }): DocResponse | undefined => ('$ref' in r ? doc.components.responses[r.$ref.split('/').pop() ?? ''] : r);
    const answersJson = (r: DocResponse | { $ref: string }) => resolved(r)?.content?.['application/json'] !== undefined;
    const jsonPaths = Object.entries(doc.paths)
      .filter(([, item]) => METHODS.some((m) => Object.entries(item[m]?.responses ?? {}).some(([status, r]) => status.startsWith('2') && answersJson(r))))
      .map(([path]) => path);
    expect(jsonPaths).toEqual(expect.arrayContaining(['/api/records/1.0/search', '/api/records/1.0/analyze', '/explore/dataset/{datasetid}/download', '/admin/quota/usage']));
    const missing = jsonPaths
      .filter((path) => ![...exercised].some((e) => e.endsWith(` ${path}`)));
    expect(missing).toEqual([]);
  });
});
