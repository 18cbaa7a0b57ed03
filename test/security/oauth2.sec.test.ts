/**
 * Attack suite, OAuth2 (the authorization server over in-memory stores; the detailed protocol rows
 * are in test/http/oauth2.test.ts): open redirects, stolen or replayed codes, PKCE downgrade,
 * refresh replay, CSRF, markup injection in the pages, the login cookie used on the API, secrets in
 * URLs.
 */
import request from 'supertest';
import { authFixture, authorizeInBrowser, basic, codeFor, csrfOf, exchange, queryOf, REDIRECT, s256, tokensFor, type AuthFixture } from '../helpers/auth';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';

let f: AuthFixture;
beforeAll(async () => {
  const backend = fakeBackend();
  backend.addDataset({ ...citiesDescriptor, visibility: { restricted: { users: ['alice'], groups: [] } } });
  f = await authFixture({ backend });
});

const authorize = (params: Record<string, string>) => request(f.app).get(`/oauth2/authorize/?${new URLSearchParams(params).toString()}`);
const base = () => ({ client_id: f.confidential.clientId, response_type: 'code', state: 's1' });

describe('redirects go to the registered URI only', () => {
  it.each([
    `${REDIRECT}/../evil`,
    `${REDIRECT}?next=https://evil.example`,
    `${REDIRECT}/`,
    REDIRECT.toUpperCase(),
    REDIRECT.replace('https://', 'http://'),
    REDIRECT.replace('client.example.com', 'client.example.com.evil.example'),
    REDIRECT.replace('https://', 'https://attacker@'),
    REDIRECT.replace('client.example.com', 'client.example.com:443'),
    `${REDIRECT}#frag`,
    'javascript:alert(1)',
    '//evil.example/cb',
  ])('redirect_uri %s → a 400 page, never a Location', async (uri) => {
    const res = await authorize({ ...base(), redirect_uri: uri });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('codes', () => {
  it('a replayed code is refused and the tokens first issued from it are revoked', async () => {
    const code = await codeFor(f);
    const first = await exchange(f, code);
    expect(first.status).toBe(200);
    expect((await exchange(f, code)).body.error).toBe('invalid_grant');
    const api = await request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', `Bearer ${first.body.access_token}`);
    expect(api.status).toBe(401);
  });

  it('a code stolen by another client is refused', async () => {
    const code = await codeFor(f);
    expect((await exchange(f, code, {}, f.other)).body.error).toBe('invalid_grant');
  });

  it('PKCE cannot be downgraded to plain, nor skipped once a challenge was sent', async () => {
    const plain = await authorizeInBrowser(f.app, { ...base(), redirect_uri: REDIRECT, code_challenge: 'v'.repeat(43), code_challenge_method: 'plain' });
    expect(queryOf(plain.res.headers.location).get('error')).toBe('invalid_request');
    const code = await codeFor(f, { code_challenge: s256('v'.repeat(43)), code_challenge_method: 'S256' });
    expect((await exchange(f, code)).body.error).toBe('invalid_grant');
  });
});

describe('refresh tokens', () => {
  it('a replayed refresh token revokes the whole grant', async () => {
    const t = await tokensFor(f);
    const refresh = (token: string) =>
      request(f.app).post('/oauth2/token/').set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret)).type('form').send({ grant_type: 'refresh_token', refresh_token: token });
    const rotated = await refresh(t.refresh_token);
    expect(rotated.status).toBe(200);
    expect((await refresh(t.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(rotated.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', `Bearer ${rotated.body.access_token}`)).status).toBe(401);
  });
});

describe('forms', () => {
  it('a login or consent POST without the session\'s CSRF token is refused (403), whatever else it carries', async () => {
    const page = await authorize({ ...base(), redirect_uri: REDIRECT });
    const cookie = (page.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    const other = await authorize({ ...base(), redirect_uri: REDIRECT });
    for (const csrf of [undefined, 'x'.repeat(43), csrfOf(other.text)]) {
      const res = await request(f.app)
        .post('/oauth2/authorize/')
        .set('Cookie', cookie)
        .type('form')
        .send({ ...base(), redirect_uri: REDIRECT, action: 'approve', ...(csrf ? { csrf_token: csrf } : {}) });
      expect(res.status).toBe(403);
      expect(res.headers.location).toBeUndefined();
    }
  });

  it('state and parameters are escaped in the pages, which run no script and cannot be framed', async () => {
    const res = await authorize({ ...base(), redirect_uri: REDIRECT, state: '"><script>alert(1)</script>' });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&#60;script&#62;');
    expect(res.text).toContain('Dashboard &#60;b&#62;'); // the client name too
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('the login cookie never authenticates an API call (JSONP of private data needs a key or token)', async () => {
    const done = await authorizeInBrowser(f.app, { ...base(), redirect_uri: REDIRECT });
    expect(done.cookie).toBeDefined();
    const res = await request(f.app).get('/api/datasets/1.0/cities/?callback=steal').set('Cookie', done.cookie!);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('Paris');
  });
});

describe('secrets stay out of URLs', () => {
  it('a client secret in the query string of /oauth2/token is refused', async () => {
    const code = await codeFor(f);
    const res = await request(f.app)
      .post(`/oauth2/token/?client_id=${f.confidential.clientId}&client_secret=${f.confidential.clientSecret}`)
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(res.status).toBe(400);
  });

  it('the token endpoint answers POST only', async () => {
    expect((await request(f.app).get('/oauth2/token/')).status).toBe(405);
  });
});
