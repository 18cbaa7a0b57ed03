/**
 * The gateway as main.ts starts it (OpenSearch security index, Redis token store, BOOTSTRAP_FILE),
 * driven over HTTP: bootstrap idempotence, the OAuth2 code flow, code reuse, code expiry, concurrent
 * refreshes and revocation on the real stores, and API keys from the bootstrap file.
 */
import { join } from 'node:path';
import request from 'supertest';
import { Redis } from 'ioredis';
import { start } from '../../src/main';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { indexNames } from '../../src/datasets/index-names';
import { authorizeInBrowser, queryOf } from '../helpers/auth';

jest.setTimeout(120_000);

const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const PREFIX = `itoauth${run}`;
const ISSUER = 'http://gateway.test';
const EXAMPLE = join(__dirname, '../../ops/bootstrap.example.json');
const ADMIN_KEY = 'change-me-0123456789abcdef0123456789abcdef';
const CLIENT = { id: 'example-dashboard', secret: 'change-me-client-secret-0123456789abcdef', redirect: 'http://127.0.0.1:3000/oauth2/callback' };

const env = {
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  OPENSEARCH_URL,
  REDIS_URL,
  INDEX_PREFIX: PREFIX,
  PUBLIC_URL: ISSUER,
  BOOTSTRAP_FILE: EXAMPLE,
  OAUTH2_CODE_TTL_SECONDS: '2',
  IDENTITY_CACHE_TTL_MS: '0',
};

let url: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const g = await start(env);
  stop = g.stop;
  url = `http://127.0.0.1:${(g.server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await stop?.();
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL });
  await client.indices.delete({ index: indexNames(PREFIX).securityIndex }).catch(() => undefined);
  await client.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const basic = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
const params = { client_id: CLIENT.id, redirect_uri: CLIENT.redirect, response_type: 'code', state: 'st-1' };
const login = { username: 'alice', password: 'change-me-alice-password' };
const token = (body: Record<string, string>) => request(url).post('/oauth2/token/').set('Authorization', basic).type('form').send(body);
const code = async () => {
  const r = await authorizeInBrowser(url, params, login);
  expect(r.res.status).toBe(302);
  return queryOf(r.location).get('code')!;
};
const catalog = (accessToken: string) => request(url).get('/api/datasets/1.0/search/?rows=0').set('Authorization', `Bearer ${accessToken}`);

describe('gateway with OpenSearch identities, Redis tokens and a bootstrap file', () => {
  it('When started with BOOTSTRAP_FILE, then its users, keys and clients work; a second start changes nothing', async () => {
    const users = await request(url).get('/admin/identity/users').set('Authorization', `Apikey ${ADMIN_KEY}`);
    expect(users.status).toBe(200);
    expect(users.body.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'alice', 'reporting']);
    const keysBefore = (await request(url).get('/admin/identity/apikeys').set('Authorization', `Apikey ${ADMIN_KEY}`)).body.apikeys;
    const second = await start(env);
    await second.stop();
    const keysAfter = (await request(url).get('/admin/identity/apikeys').set('Authorization', `Apikey ${ADMIN_KEY}`)).body.apikeys;
    expect(keysAfter).toEqual(keysBefore);
    expect(keysAfter).toHaveLength(2);
    const bad = await request(url).get('/api/datasets/1.0/search/').set('Authorization', 'Apikey not-a-key');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ errorcode: 10401, error: 'API key is not valid' });
  });

  it('When a user logs in and approves, then the code gives v1 tokens that authenticate API calls (A1, T1, B1, M1)', async () => {
    const res = await token({ grant_type: 'authorization_code', code: await code(), redirect_uri: CLIENT.redirect });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: 'all' });
    expect(res.body.access_token).toMatch(/^[A-Za-z0-9]{30}$/);
    expect((await catalog(res.body.access_token)).status).toBe(200);
    const meta = await request(url).get('/.well-known/oauth-authorization-server');
    expect(meta.body.issuer).toBe(ISSUER);
  });

  it('When a code is redeemed twice, then the second gets invalid_grant and the first tokens are revoked (T3)', async () => {
    const c = await code();
    const first = await token({ grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect });
    expect(first.status).toBe(200);
    const second = await token({ grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect });
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    const after = await catalog(first.body.access_token);
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer realm="ods", error="invalid_token"');
  });

  it('When a code outlives OAUTH2_CODE_TTL_SECONDS, then it is invalid_grant (T4)', async () => {
    const c = await code();
    await new Promise((r) => setTimeout(r, 2500));
    const res = await token({ grant_type: 'authorization_code', code: c, redirect_uri: CLIENT.redirect });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('When ten refreshes of one token race across Redis, then exactly one succeeds and the grant is revoked (R1, R3)', async () => {
    const t = await token({ grant_type: 'authorization_code', code: await code(), redirect_uri: CLIENT.redirect });
    const results = await Promise.all(Array.from({ length: 10 }, () => token({ grant_type: 'refresh_token', refresh_token: t.body.refresh_token })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(400)]);
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body.refresh_token).not.toBe(t.body.refresh_token);
    expect((await catalog(winner.body.access_token)).status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: winner.body.refresh_token })).body.error).toBe('invalid_grant');
  });

  it('When a refresh token is revoked (RFC 7009), then its grant and access tokens stop working (V1)', async () => {
    const t = await token({ grant_type: 'authorization_code', code: await code(), redirect_uri: CLIENT.redirect });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await catalog(refreshed.body.access_token)).status).toBe(200);
    const revoke = await request(url).post('/oauth2/revoke/').set('Authorization', basic).type('form').send({ token: refreshed.body.refresh_token });
    expect(revoke.status).toBe(200);
    expect((await catalog(refreshed.body.access_token)).status).toBe(401);
    expect((await catalog(t.body.access_token)).status).toBe(401);
  });
});
