/**
 * The OAuth2 authorization server (docs/security.md, OAuth2 authorization server; RFC 6749, 7009, 7636, 8414): every test is
 * named by its row (A = authorize, T = token, R = refresh, V = revocation, M = metadata; the B rows,
 * bearer use on the API, are in oauth2-bearer.test.ts).
 */
import request from 'supertest';
import { sha256 } from '../../src/auth/secrets';
import {
  ISSUER,
  PUBLIC_REDIRECT,
  REDIRECT,
  authFixture,
  authorizeInBrowser,
  basic,
  codeFor,
  exchange,
  queryOf,
  s256,
  tokensFor,
  type AuthFixture,
} from '../helpers/auth';

let f: AuthFixture;
beforeEach(async () => {
  f = await authFixture();
});

const authorizeParams = (extra: Record<string, string> = {}) => ({
  client_id: f.confidential.clientId,
  redirect_uri: REDIRECT,
  response_type: 'code',
  state: 'xyz',
  ...extra,
});
const get = (qs: string) => request(f.app).get(`/oauth2/authorize/?${qs}`);
const qsOf = (p: Record<string, string>) => new URLSearchParams(p).toString();
const token = () => request(f.app).post('/oauth2/token/').type('form');
const apiCall = (accessToken: string) => request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', `Bearer ${accessToken}`);
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

beforeEach(() => {
  f.backend.addDataset({ datasetid: 'cities', metas: { title: 'Cities' }, fields: [{ name: 'name', label: 'Name', type: 'text' }] });
});

describe('authorization endpoint (A rows)', () => {
  it('A1: valid client, registered redirect_uri, response_type=code, state=xyz, user approves → 302 with a 30-char code and state', async () => {
    const state = 'xyz &é/+=?';
    const r = await authorizeInBrowser(f.app, authorizeParams({ state }));
    expect(r.res.status).toBe(302);
    expect(r.location!.startsWith(`${REDIRECT}?`)).toBe(true);
    const q = queryOf(r.location);
    expect(q.get('code')).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(q.get('state')).toBe(state);
    expect([...q.keys()].sort()).toEqual(['code', 'state']);
  });

  it('A1: the login and consent pages are CSRF-protected, escaped, unframeable, and the session cookie is HttpOnly SameSite=Lax Secure /oauth2', async () => {
    const first = await get(qsOf(authorizeParams()));
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    expect(first.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(first.headers['x-frame-options']).toBe('DENY');
    expect(first.headers['cache-control']).toBe('no-store');
    // The client name is `Dashboard <b>"app"</b>`: shown as text, never as markup.
    expect(first.text).toContain('Dashboard &#60;b&#62;&#34;app&#34;&#60;/b&#62;');
    expect(first.text).not.toContain('<b>"app"</b>');
    const cookie = (first.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).toMatch(/^ods_oauth2_session=[A-Za-z0-9]{32}; Path=\/oauth2; Max-Age=1800; HttpOnly; SameSite=Lax; Secure$/);
    // A POST without the session's CSRF token is refused, and logs nobody in.
    const forged = await request(f.app)
      .post('/oauth2/authorize/')
      .set('Cookie', cookie.split(';')[0]!)
      .type('form')
      .send({ ...authorizeParams(), action: 'login', username: 'alice', password: 'alice-password', csrf_token: 'x'.repeat(32) });
    expect(forged.status).toBe(403);
    expect(forged.headers['set-cookie']).toBeUndefined();
    const noCookie = await request(f.app).post('/oauth2/authorize/').type('form').send({ ...authorizeParams(), action: 'approve', csrf_token: 'x' });
    expect(noCookie.status).toBe(403);
    expect(noCookie.headers.location).toBeUndefined();
  });

  it('A1: a wrong password shows the login page again (401), and the session id changes at login (fixation)', async () => {
    const bad = await authorizeInBrowser(f.app, authorizeParams(), { password: 'wrong-password' });
    expect(bad.res.status).toBe(401);
    expect(bad.res.text).toContain('Invalid username or password.');
    const unknown = await authorizeInBrowser(f.app, authorizeParams(), { username: 'nobody', password: 'whatever1' });
    expect(unknown.res.status).toBe(401);
    expect(unknown.res.text).toContain('Invalid username or password.');
    const ok = await authorizeInBrowser(f.app, authorizeParams());
    expect(ok.res.status).toBe(302);
  });

  it('A2: the user denies → 302 error=access_denied with the state', async () => {
    const r = await authorizeInBrowser(f.app, authorizeParams(), { decision: 'deny' });
    expect(r.res.status).toBe(302);
    const q = queryOf(r.location);
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('state')).toBe('xyz');
    expect(q.get('code')).toBeNull();
  });

  it('A3: unknown client_id → 400 error page, no redirect', async () => {
    for (const qs of [qsOf(authorizeParams({ client_id: 'unknown-client' })), qsOf({ redirect_uri: REDIRECT, response_type: 'code' })]) {
      const res = await get(qs);
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/invalid_client|client_id is missing/);
    }
  });

  it.each([
    ['not registered', 'https://evil.example.com/cb'],
    ['case', 'https://CLIENT.EXAMPLE.COM/cb'],
    [':443', 'https://client.example.com:443/cb'],
    ['trailing slash', 'https://client.example.com/cb/'],
    ['extra query', 'https://client.example.com/cb?x=1'],
    ['fragment', 'https://client.example.com/cb#f'],
  ])('A4: redirect_uri %s → 400 error page, no redirect (missing: see oauth2-interop.test.ts)', async (_what, uri) => {
    const p: Record<string, string> = authorizeParams({ redirect_uri: uri });
    const res = await get(qsOf(p));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toMatch(/invalid_redirect_uri|invalid_request/);
  });

  it('A5: response_type missing → 302 error=invalid_request with the state', async () => {
    const p: Record<string, string> = authorizeParams();
    delete p.response_type;
    const res = await get(qsOf(p));
    expect(res.status).toBe(302);
    expect(queryOf(res.headers.location).get('error')).toBe('invalid_request');
    expect(queryOf(res.headers.location).get('state')).toBe('xyz');
  });

  it('A6: response_type=token → 302 error=unsupported_response_type with the state', async () => {
    const res = await get(qsOf(authorizeParams({ response_type: 'token' })));
    expect(res.status).toBe(302);
    expect(queryOf(res.headers.location).get('error')).toBe('unsupported_response_type');
    expect(queryOf(res.headers.location).get('state')).toBe('xyz');
  });

  it('A7: unknown scope (scope=foo, scopes=foo) → 302 error=invalid_scope; scope=all and scopes=all are accepted', async () => {
    for (const extra of [{ scope: 'foo' }, { scopes: 'all foo' }] as Record<string, string>[]) {
      const res = await get(qsOf(authorizeParams(extra)));
      expect(res.status).toBe(302);
      expect(queryOf(res.headers.location).get('error')).toBe('invalid_scope');
      expect(queryOf(res.headers.location).get('state')).toBe('xyz');
    }
    for (const extra of [{ scope: 'all' }, { scopes: 'all' }] as Record<string, string>[]) {
      expect((await get(qsOf(authorizeParams(extra)))).status).toBe(200);
    }
  });

  it('A8: a duplicated parameter → 400 page (client_id, redirect_uri) or redirect invalid_request (others)', async () => {
    const base = qsOf(authorizeParams());
    const dupClient = await get(`${base}&client_id=${f.confidential.clientId}`);
    expect(dupClient.status).toBe(400);
    expect(dupClient.headers.location).toBeUndefined();
    const dupRedirect = await get(`${base}&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(dupRedirect.status).toBe(400);
    const dupType = await get(`${base}&response_type=code`);
    expect(dupType.status).toBe(302);
    expect(queryOf(dupType.headers.location).get('error')).toBe('invalid_request');
    expect(queryOf(dupType.headers.location).get('state')).toBe('xyz');
    const dupState = await get(`${base}&state=abc`);
    expect(dupState.status).toBe(302);
    expect(queryOf(dupState.headers.location).get('error')).toBe('invalid_request');
  });

  it('A9: an unknown extra parameter is ignored and the flow succeeds', async () => {
    const r = await authorizeInBrowser(f.app, authorizeParams({ foo: 'bar', prompt: 'none' }));
    expect(r.res.status).toBe(302);
    expect(queryOf(r.location).get('code')).toMatch(/^[A-Za-z0-9]{30}$/);
  });

  it.each([
    ['too short', { code_challenge: 'a'.repeat(42), code_challenge_method: 'S256' }],
    ['too long', { code_challenge: 'a'.repeat(129), code_challenge_method: 'S256' }],
    ['bad charset', { code_challenge: `${'a'.repeat(42)}!`, code_challenge_method: 'S256' }],
    ['unknown method', { code_challenge: s256(VERIFIER), code_challenge_method: 'foo' }],
    ['method without challenge', { code_challenge_method: 'S256' }],
    // S256 only (RFC 9700 §2.1.1): plain, explicit or by default (no method), is refused.
    ['plain method', { code_challenge: VERIFIER, code_challenge_method: 'plain' }],
    ['challenge without method (plain by default)', { code_challenge: VERIFIER }],
  ])('A10: PKCE %s → redirect invalid_request with the state', async (_what, extra) => {
    const res = await get(qsOf(authorizeParams(extra as Record<string, string>)));
    expect(res.status).toBe(302);
    const q = queryOf(res.headers.location);
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toBeTruthy();
    expect(q.get('state')).toBe('xyz');
  });

  it('A10: a public client without PKCE → redirect invalid_request', async () => {
    const res = await get(qsOf({ client_id: f.publicClient.clientId, redirect_uri: PUBLIC_REDIRECT, response_type: 'code', state: 's' }));
    expect(res.status).toBe(302);
    expect(res.headers.location!.startsWith(`${PUBLIC_REDIRECT}?`)).toBe(true);
    expect(queryOf(res.headers.location).get('error')).toBe('invalid_request');
    expect(queryOf(res.headers.location).get('error_description')).toMatch(/PKCE/);
  });
});

describe('token endpoint (T rows)', () => {
  it('T1: authorization_code with Basic client auth → 200 v1 token response, no-store, no-cache', async () => {
    const res = await exchange(f, await codeFor(f), { state: 'xyz' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
      expires_in: 3600,
      token_type: 'Bearer',
      state: 'xyz',
      scope: 'all',
      refresh_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
    });
    expect(Object.keys(res.body)).toEqual(['access_token', 'expires_in', 'token_type', 'state', 'scope', 'refresh_token']);
    expect((await apiCall(res.body.access_token)).status).toBe(200);
  });

  it('T2: client credentials in the body → 200', async () => {
    const res = await token().send({
      grant_type: 'authorization_code',
      code: await codeFor(f),
      redirect_uri: REDIRECT,
      client_id: f.confidential.clientId,
      client_secret: f.confidential.clientSecret,
    });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body).not.toHaveProperty('state');
  });

  it('T3: reusing a code → 400 invalid_grant, and the tokens of the first exchange are revoked (401 invalid_token)', async () => {
    const code = await codeFor(f);
    const first = await exchange(f, code);
    expect(first.status).toBe(200);
    expect((await apiCall(first.body.access_token)).status).toBe(200);
    const second = await exchange(f, code);
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(/already used/) });
    expect(second.headers['cache-control']).toBe('no-store');
    const after = await apiCall(first.body.access_token);
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer realm="ods", error="invalid_token"');
    const refresh = await token()
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .send({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('T4: a code older than its TTL (OAUTH2_CODE_TTL_SECONDS, 3600 by default) → 400 invalid_grant', async () => {
    const code = await codeFor(f);
    f.clock.now += 3600 * 1000 + 1;
    const res = await exchange(f, code);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code is invalid or expired' });
  });

  it('T4: a code just inside its TTL is accepted; the TTL is configurable', async () => {
    const code = await codeFor(f);
    f.clock.now += 3599 * 1000;
    expect((await exchange(f, code)).status).toBe(200);
    const short = await authFixture({ settings: { codeTtlSeconds: 60 } });
    short.backend.addDataset({ datasetid: 'cities', metas: { title: 'Cities' }, fields: [{ name: 'name', label: 'Name', type: 'text' }] });
    const c = await codeFor(short);
    short.clock.now += 61 * 1000;
    expect((await exchange(short, c)).body.error).toBe('invalid_grant');
  });

  it('T5: a code issued to client A redeemed by client B → 400 invalid_grant', async () => {
    const res = await exchange(f, await codeFor(f), {}, f.other);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was issued to another client' });
  });

  it('T6: redirect_uri different at the token endpoint → invalid_grant; missing → invalid_request', async () => {
    const mismatch = await exchange(f, await codeFor(f), { redirect_uri: 'https://client.example.com/cb2' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toBe('invalid_grant');
    const missing = await token()
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .send({ grant_type: 'authorization_code', code: await codeFor(f) });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'redirect_uri is missing' });
  });

  it('T7: wrong client secret via Basic → 401 invalid_client with WWW-Authenticate: Basic', async () => {
    const res = await exchange(f, await codeFor(f), {}, { clientId: f.confidential.clientId, clientSecret: 'wrong-secret' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="ods"/);
    const unknown = await exchange(f, await codeFor(f), {}, { clientId: 'no-such-client', clientSecret: 'x' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('invalid_client');
  });

  it('T8: wrong client secret in the body → 401 invalid_client, no Basic challenge', async () => {
    const res = await token().send({
      grant_type: 'authorization_code',
      code: await codeFor(f),
      redirect_uri: REDIRECT,
      client_id: f.confidential.clientId,
      client_secret: 'wrong-secret',
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toBeUndefined();
    const noSecret = await token().send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, client_id: f.confidential.clientId });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.error).toBe('invalid_client');
  });

  it('T9: Basic and a body secret both present → 400 invalid_request; a different client_id in the body too; none → 401 invalid_client', async () => {
    const both = await exchange(f, await codeFor(f), { client_secret: f.confidential.clientSecret });
    expect(both.status).toBe(400);
    expect(both.body.error).toBe('invalid_request');
    expect(both.body.error_description).toMatch(/authenticated twice/);
    const mismatch = await exchange(f, await codeFor(f), { client_id: f.other.clientId });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toBe('invalid_request');
    const none = await token().send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT });
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('invalid_client');
    const query = await request(f.app)
      .post(`/oauth2/token/?client_secret=${f.confidential.clientSecret}`)
      .type('form')
      .send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, client_id: f.confidential.clientId });
    expect(query.status).toBe(400);
    expect(query.body.error).toBe('invalid_request');
  });

  it('T10: Basic with an id and secret containing ":", "%", "+" and spaces (Appendix B encoding) → 200', async () => {
    // Such ids and secrets cannot be made by the gateway (it makes alphanumeric ones): store one directly.
    const odd = { clientId: 'an:identifier %+ x', clientSecret: 's:e%c+r et' };
    await f.store.putClient({
      clientId: odd.clientId,
      name: 'Odd',
      type: 'confidential',
      redirectUris: [REDIRECT],
      secretHash: sha256(odd.clientSecret),
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    const r = await authorizeInBrowser(f.app, { client_id: odd.clientId, redirect_uri: REDIRECT, response_type: 'code' });
    const code = queryOf(r.location).get('code')!;
    // Appendix B: application/x-www-form-urlencoded (space → "+", ":" "%" "+" percent-encoded), then base64.
    const enc = (v: string) => new URLSearchParams({ v }).toString().slice(2);
    expect(enc(odd.clientId)).toBe('an%3Aidentifier+%25%2B+x');
    const res = await token()
      .set('Authorization', `Basic ${Buffer.from(`${enc(odd.clientId)}:${enc(odd.clientSecret)}`).toString('base64')}`)
      .send({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(res.status).toBe(200);
    // Sent without the encoding, the secret is not the same credential ("%c " is a broken escape).
    const raw = await token()
      .set('Authorization', `Basic ${Buffer.from(`${enc(odd.clientId)}:${odd.clientSecret}`).toString('base64')}`)
      .send({ grant_type: 'refresh_token', refresh_token: 'unknown' });
    expect(raw.status).toBe(400);
    expect(raw.body.error).toBe('invalid_request');
  });

  it.each([
    ['Basic', 'Basic'],
    ['Basic Zm9v (no colon)', 'Basic Zm9v'],
    ['non-base64', 'Basic %%%%'],
    ['bad %-encoding', `Basic ${Buffer.from('%zz:secret').toString('base64')}`],
  ])('T11: malformed Basic (%s) → 400 invalid_request', async (_what, header) => {
    const res = await token().set('Authorization', header).send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it.each(['password', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'])('T12: grant_type=%s → 400 unsupported_grant_type', async (gt) => {
    const res = await token()
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .send({ grant_type: gt, username: 'alice', password: 'alice-password' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('T13: grant_type missing / code missing / a parameter twice → 400 invalid_request', async () => {
    const auth = basic(f.confidential.clientId, f.confidential.clientSecret);
    const noGrant = await token().set('Authorization', auth).send({ code: 'x', redirect_uri: REDIRECT });
    expect(noGrant.status).toBe(400);
    expect(noGrant.body).toEqual({ error: 'invalid_request', error_description: 'grant_type is missing' });
    const noCode = await token().set('Authorization', auth).send({ grant_type: 'authorization_code', redirect_uri: REDIRECT });
    expect(noCode.body).toEqual({ error: 'invalid_request', error_description: 'code is missing' });
    const twice = await token().set('Authorization', auth).send(`grant_type=authorization_code&code=a&code=b&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('invalid_request');
  });

  it.each(['get', 'put', 'delete'] as const)('T14: %s /oauth2/token → 405 (POST only)', async (method) => {
    const res = await request(f.app)[method]('/oauth2/token/');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    if (method !== 'get') return;
    expect(res.body.error).toBe('invalid_request');
  });

  it('T15: PKCE — missing or wrong code_verifier for a code with a challenge → 400 invalid_grant; the right one → 200', async () => {
    const withChallenge = () => codeFor(f, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' });
    const missing = await exchange(f, await withChallenge());
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_grant');
    const wrong = await exchange(f, await withChallenge(), { code_verifier: 'x'.repeat(43) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect((await exchange(f, await withChallenge(), { code_verifier: VERIFIER })).status).toBe(200);
    const unexpected = await exchange(f, await codeFor(f), { code_verifier: VERIFIER });
    expect(unexpected.body.error).toBe('invalid_grant');
  });

  it('T15: a public client with PKCE gets tokens with client_id alone; without the verifier it does not', async () => {
    const params = { client_id: f.publicClient.clientId, redirect_uri: PUBLIC_REDIRECT, response_type: 'code', code_challenge: s256(VERIFIER), code_challenge_method: 'S256' };
    const code = async () => queryOf((await authorizeInBrowser(f.app, params)).location).get('code')!;
    const ok = await token().send({ grant_type: 'authorization_code', code: await code(), redirect_uri: PUBLIC_REDIRECT, client_id: f.publicClient.clientId, code_verifier: VERIFIER });
    expect(ok.status).toBe(200);
    const noVerifier = await token().send({ grant_type: 'authorization_code', code: await code(), redirect_uri: PUBLIC_REDIRECT, client_id: f.publicClient.clientId });
    expect(noVerifier.body.error).toBe('invalid_grant');
    const withSecret = await token().send({ grant_type: 'authorization_code', code: await code(), redirect_uri: PUBLIC_REDIRECT, client_id: f.publicClient.clientId, client_secret: 'x', code_verifier: VERIFIER });
    expect(withSecret.status).toBe(401);
  });

  it.each([
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['a bad character', `${'a'.repeat(42)}/`],
  ])('T16: code_verifier of %s → 400 invalid_request (and the code is not consumed)', async (_what, verifier) => {
    const code = await codeFor(f, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' });
    const res = await exchange(f, code, { code_verifier: verifier });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect((await exchange(f, code, { code_verifier: VERIFIER })).status).toBe(200);
  });
});

describe('refresh (R rows)', () => {
  const refresh = (refreshToken: string, client = f.confidential, extra: Record<string, string> = {}) =>
    token().set('Authorization', basic(client.clientId, client.clientSecret)).send({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });

  it('R1: a valid refresh → 200 with a new access token and a NEW refresh token; the new access token works', async () => {
    const t = await tokensFor(f);
    const res = await refresh(t.refresh_token, f.confidential, { scopes: 'all', state: 'st' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
      expires_in: 3600,
      token_type: 'Bearer',
      state: 'st',
      scope: 'all',
      refresh_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
    });
    expect(res.body.refresh_token).not.toBe(t.refresh_token);
    expect(res.body.access_token).not.toBe(t.access_token);
    expect((await apiCall(res.body.access_token)).status).toBe(200);
    // Refreshing again with the new one works too (the chain goes on).
    expect((await refresh(res.body.refresh_token)).status).toBe(200);
  });

  it('R2: reusing a rotated refresh token → 400 invalid_grant and the whole grant is revoked', async () => {
    const t = await tokensFor(f);
    const r1 = await refresh(t.refresh_token);
    expect(r1.status).toBe(200);
    const replay = await refresh(t.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    // Every token of the grant is dead: the new access token, the new refresh token, the first access token.
    expect((await apiCall(r1.body.access_token)).status).toBe(401);
    expect((await apiCall(t.access_token)).status).toBe(401);
    expect((await refresh(r1.body.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('R3: two concurrent refreshes with the same token → exactly one 200, one 400; the grant is revoked', async () => {
    const t = await tokensFor(f);
    const [a, b] = await Promise.all([refresh(t.refresh_token), refresh(t.refresh_token)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const winner = a.status === 200 ? a : b;
    expect((a.status === 400 ? a : b).body.error).toBe('invalid_grant');
    expect((await apiCall(winner.body.access_token)).status).toBe(401);
    expect((await refresh(winner.body.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('R4: a refresh token of client A used by client B → 400 invalid_grant (and A keeps its grant)', async () => {
    const t = await tokensFor(f);
    const res = await refresh(t.refresh_token, f.other);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the refresh token was issued to another client' });
    expect((await refresh(t.refresh_token)).status).toBe(200);
  });

  it('R5: a refresh asking a wider scope → 400 invalid_scope (the token stays usable)', async () => {
    const t = await tokensFor(f);
    for (const extra of [{ scope: 'all admin' }, { scopes: 'write' }] as Record<string, string>[]) {
      const res = await refresh(t.refresh_token, f.confidential, extra);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_scope');
    }
    expect((await refresh(t.refresh_token)).status).toBe(200);
  });
});

describe('revocation (V rows)', () => {
  const revoke = (body: Record<string, string>, client: { clientId: string; clientSecret: string } = f.confidential) =>
    request(f.app).post('/oauth2/revoke/').set('Authorization', basic(client.clientId, client.clientSecret)).type('form').send(body);

  it('V1: revoking a valid access token → 200 {}; the token is then rejected (401)', async () => {
    const t = await tokensFor(f);
    const res = await revoke({ token: t.access_token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await apiCall(t.access_token)).status).toBe(401);
  });

  it('V1: revoking a refresh token (with a wrong hint) revokes the grant and its access tokens', async () => {
    const t = await tokensFor(f);
    expect((await revoke({ token: t.refresh_token, token_type_hint: 'access_token' })).status).toBe(200);
    expect((await apiCall(t.access_token)).status).toBe(401);
    const refresh = await token()
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .send({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('V2: revoking an unknown or garbage token → 200; another client cannot revoke a token not its own', async () => {
    expect((await revoke({ token: 'garbage' })).status).toBe(200);
    expect((await revoke({ token: 'x'.repeat(5000), token_type_hint: 'weird' })).status).toBe(200);
    const t = await tokensFor(f);
    expect((await revoke({ token: t.access_token }, f.other)).status).toBe(200);
    expect((await apiCall(t.access_token)).status).toBe(200);
  });

  it('V3: revocation without `token` → 400 invalid_request', async () => {
    const res = await revoke({ token_type_hint: 'access_token' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'token is missing' });
  });

  it('V4: revocation with bad client authentication → 401 invalid_client (and nothing is revoked)', async () => {
    const t = await tokensFor(f);
    const res = await revoke({ token: t.access_token }, { clientId: f.confidential.clientId, clientSecret: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await apiCall(t.access_token)).status).toBe(200);
    expect((await request(f.app).get('/oauth2/revoke/')).status).toBe(405);
  });
});

describe('metadata (M row)', () => {
  it('M1: GET /.well-known/oauth-authorization-server → RFC 8414 metadata with issuer = PUBLIC_URL', async () => {
    const res = await request(f.app).get('/.well-known/oauth-authorization-server').expect(200);
    expect(res.body).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/oauth2/authorize/`,
      token_endpoint: `${ISSUER}/oauth2/token/`,
      revocation_endpoint: `${ISSUER}/oauth2/revoke/`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['all'],
    });
    expect(res.body.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
  });
});
