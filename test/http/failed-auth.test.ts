/**
 * Failed authentications are counted per client IP (src/protection/failed-auth.ts): bad API keys and
 * access tokens on the API, bad client secrets on /oauth2/token, bad passwords on the login form.
 * Past AUTH_FAILURE_LIMIT in the window, every credential the IP presents answers 429 with
 * Retry-After, right or wrong, and costs no lookup; other IPs and requests without credentials are
 * not affected.
 */
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { createProtection } from '../../src/protection';
import type { Backend } from '../../src/opensearch/backend';
import { authFixture, basic, csrfOf, REDIRECT, tokensFor, type AuthFixture } from '../helpers/auth';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';

let f: AuthFixture;
let lookups = 0;

/** An app over the fixture's identities, trusting X-Forwarded-For (one client IP per test), limit 3. */
function appWithLimit(): Express {
  return createApp({
    config: { trustProxy: true, maxRequestBodyBytes: 1 << 20, publicUrl: 'https://gateway.example.org' },
    logger: createLogger('silent'),
    backend: f.backend as Backend,
    registry: datasetRegistry(f.backend, 0),
    auth: f.auth,
    protection: createProtection({ authFailureLimit: 3, authFailureWindowSeconds: 600 }),
  });
}

beforeAll(async () => {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor);
  f = await authFixture({ backend });
  const get = f.store.getApiKeyByHash.bind(f.store);
  f.store.getApiKeyByHash = async (hash) => {
    lookups++;
    return get(hash);
  };
});

const DATASET = '/api/datasets/1.0/cities/';

describe('bad API keys and tokens', () => {
  it('When an IP sends AUTH_FAILURE_LIMIT bad keys, then its next credential, even a valid one, is refused with 429 and looked up nowhere', async () => {
    const app = appWithLimit();
    const ip = '10.0.0.1';
    for (let i = 0; i < 3; i++) {
      const res = await request(app).get(`${DATASET}?apikey=bad${i}`).set('X-Forwarded-For', ip);
      expect(res.status).toBe(401);
    }
    const before = lookups;
    for (const credential of [`apikey=bad9`, `apikey=${f.keys.alice}`]) {
      const res = await request(app).get(`${DATASET}?${credential}`).set('X-Forwarded-For', ip);
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ errorcode: 10429 });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(590);
    }
    expect(lookups).toBe(before);
    // Without credentials the IP is a normal anonymous caller; another IP is not affected.
    expect((await request(app).get(DATASET).set('X-Forwarded-For', ip)).status).toBe(200);
    expect((await request(app).get(`${DATASET}?apikey=${f.keys.alice}`).set('X-Forwarded-For', '10.0.0.2')).status).toBe(200);
  });

  it('When an IP sends bad bearer tokens, then they count the same way; valid credentials do not count', async () => {
    const app = appWithLimit();
    const ip = '10.0.0.3';
    const { access_token: token } = await tokensFor(f);
    for (let i = 0; i < 10; i++) expect((await request(app).get(DATASET).set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', ip)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await request(app).get(DATASET).set('Authorization', `Bearer nope${i}`).set('X-Forwarded-For', ip)).status).toBe(401);
    expect((await request(app).get(DATASET).set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', ip)).status).toBe(429);
  });
});

describe('OAuth2 client secrets and passwords', () => {
  it('When an IP fails client authentication at /oauth2/token AUTH_FAILURE_LIMIT times, then it gets 429 with an OAuth2 body', async () => {
    const app = appWithLimit();
    const ip = '10.0.0.4';
    const attempt = (secret: string) =>
      request(app).post('/oauth2/token/').set('X-Forwarded-For', ip).set('Authorization', basic(f.confidential.clientId, secret)).type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' });
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong${i}`)).status).toBe(401);
    const blocked = await attempt(f.confidential.clientSecret);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    expect(blocked.headers['cache-control']).toBe('no-store');
    expect(blocked.body).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(/too many failed client authentications/) });
    // invalid_grant (a bad refresh token with the right secret) is not a guess of a secret: it does not count.
    const other = '10.0.0.5';
    for (let i = 0; i < 5; i++) {
      const res = await request(app).post('/oauth2/token/').set('X-Forwarded-For', other).set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret)).type('form').send({ grant_type: 'refresh_token', refresh_token: `x${i}` });
      expect(res.body.error).toBe('invalid_grant');
    }
  });

  it('When an IP fails the login form AUTH_FAILURE_LIMIT times, then the form answers 429 and does not check the password', async () => {
    const app = appWithLimit();
    const ip = '10.0.0.6';
    const params = { client_id: f.confidential.clientId, redirect_uri: REDIRECT, response_type: 'code', state: 's' };
    const page = await request(app).get(`/oauth2/authorize/?${new URLSearchParams(params).toString()}`).set('X-Forwarded-For', ip);
    const cookie = (page.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    let csrf = csrfOf(page.text);
    const login = async (password: string) => {
      const res = await request(app).post('/oauth2/authorize/').set('X-Forwarded-For', ip).set('Cookie', cookie).type('form').send({ ...params, csrf_token: csrf, action: 'login', username: 'alice', password });
      if (res.status !== 303) csrf = csrfOf(res.text);
      return res;
    };
    for (let i = 0; i < 3; i++) expect((await login(`wrong${i}`)).status).toBe(401);
    const blocked = await login('alice-password');
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    expect(blocked.text).toMatch(/Too many failed sign-ins from your network: try again in 10 minutes\./);
  });
});
