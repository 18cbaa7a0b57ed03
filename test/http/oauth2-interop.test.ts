/**
 * What widely used client libraries (oauth4webapi, openid-client, simple-oauth2) need from the
 * authorization server beyond the checklist of oauth2.test.ts, each found by driving them against
 * the gateway: a JSON revocation answer, the RFC 8414 §3.1 metadata location of an issuer with a
 * path, RFC 6749 §5.2 error_description characters, invalid_client for a request with no client
 * authentication, and an optional redirect_uri for a client with a single registered one. The
 * libraries themselves run in test/integration/oauth2-clients.int.test.ts.
 */
import request from 'supertest';
import { ISSUER, REDIRECT, authFixture, authorizeInBrowser, basic, codeFor, exchange, queryOf, tokensFor, type AuthFixture } from '../helpers/auth';

/** RFC 6749 §4.1.2.1 and §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E (no `"`, no `\`). */
const DESCRIPTION_CHARSET = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

let f: AuthFixture;
beforeEach(async () => {
  f = await authFixture();
  f.backend.addDataset({ datasetid: 'cities', metas: { title: 'Cities' }, fields: [{ name: 'name', label: 'Name', type: 'text' }] });
});

const authorizeParams = (extra: Record<string, string> = {}) => ({ client_id: f.confidential.clientId, redirect_uri: REDIRECT, response_type: 'code', state: 'xyz', ...extra });
const authorize = (query: string) => request(f.app).get(`/oauth2/authorize/?${query}`);
const token = () => request(f.app).post('/oauth2/token/').type('form');
const apiCall = (accessToken: string) => request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', `Bearer ${accessToken}`);

describe('revocation answer (RFC 7009 §2.2)', () => {
  it('When a token is revoked, then the answer is 200 with a JSON body {} (simple-oauth2 rejects an empty one)', async () => {
    const t = await tokensFor(f);
    const res = await request(f.app)
      .post('/oauth2/revoke/')
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .type('form')
      .send({ token: t.access_token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe('{}');
    expect(res.headers['cache-control']).toBe('no-store');
    // The second call of simple-oauth2's revokeAll(): the refresh token, which revokes the grant.
    const second = await request(f.app)
      .post('/oauth2/revoke/')
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .type('form')
      .send({ token: t.refresh_token, token_type_hint: 'refresh_token' });
    expect(second.status).toBe(200);
    expect(second.text).toBe('{}');
    const refresh = await token()
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .send({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(refresh.body.error).toBe('invalid_grant');
  });
});

describe('metadata location (RFC 8414 §3, §3.1)', () => {
  const PATH_ISSUER = 'https://gateway.example.org/ods';
  const expectedMetadata = (issuer: string) =>
    expect.objectContaining({
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize/`,
      token_endpoint: `${issuer}/oauth2/token/`,
      revocation_endpoint: `${issuer}/oauth2/revoke/`,
    });

  it('When PUBLIC_URL has a path, then the metadata is served at /.well-known/oauth-authorization-server/<path>, and still at <path>/.well-known/...', async () => {
    const p = await authFixture({ settings: { issuer: PATH_ISSUER } });
    // Behind a proxy that strips /ods, the gateway sees the RFC 8414 location unchanged (a rule for
    // that one path at the host's root) and the other one without /ods.
    const rfc = await request(p.app).get('/.well-known/oauth-authorization-server/ods');
    expect(rfc.status).toBe(200);
    expect(rfc.body).toEqual(expectedMetadata(PATH_ISSUER));
    const legacy = await request(p.app).get('/.well-known/oauth-authorization-server');
    expect(legacy.status).toBe(200);
    expect(legacy.body).toEqual(rfc.body);
  });

  it('When a path other than the issuer\'s is asked, then 404: the gateway speaks for one issuer only', async () => {
    const p = await authFixture({ settings: { issuer: PATH_ISSUER } });
    for (const path of ['/.well-known/oauth-authorization-server/other', '/.well-known/oauth-authorization-server/ods/x', '/.well-known/oauth-authorization-server/ODS']) {
      expect((await request(p.app).get(path)).status).toBe(404);
    }
    // An issuer without a path has only the plain location.
    expect((await request(f.app).get('/.well-known/oauth-authorization-server/ods')).status).toBe(404);
    expect((await request(f.app).get('/.well-known/oauth-authorization-server')).body).toEqual(expectedMetadata(ISSUER));
  });

  it('When a client looks for OpenID Connect discovery, then 404 and scope=openid is refused: the gateway is no OpenID provider', async () => {
    expect((await request(f.app).get('/.well-known/openid-configuration')).status).toBe(404);
    const res = await authorize(new URLSearchParams(authorizeParams({ scope: 'openid' })).toString());
    expect(res.status).toBe(302);
    expect(queryOf(res.headers.location).get('error')).toBe('invalid_scope');
  });
});

describe('error_description characters (RFC 6749 §4.1.2.1, §5.2)', () => {
  it.each([
    ['scope=openid', { scope: 'openid' }, '', 'invalid_scope', 'unknown scope: the only scope is all'],
    ['a repeated state', {}, '&state=abc', 'invalid_request', 'parameter state is repeated'],
    ['a repeated response_type', {}, '&response_type=code', 'invalid_request', 'parameter response_type is repeated'],
  ])('When the authorization request has %s, then the redirect error_description has no quote', async (_what, extra, suffix, error, description) => {
    const res = await authorize(`${new URLSearchParams(authorizeParams(extra)).toString()}${suffix}`);
    expect(res.status).toBe(302);
    const q = queryOf(res.headers.location);
    expect(q.get('error')).toBe(error);
    expect(q.get('error_description')).toBe(description);
    expect(q.get('error_description')).toMatch(DESCRIPTION_CHARSET);
  });

  it('When token requests fail on scope, a repeated parameter or a malformed Basic header, then error_description has no quote', async () => {
    const auth = basic(f.confidential.clientId, f.confidential.clientSecret);
    const cases: [request.Test, string, string][] = [
      [token().set('Authorization', auth).send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, scope: 'openid' }), 'invalid_scope', 'unknown scope: the only scope is all'],
      [token().set('Authorization', auth).send(`grant_type=authorization_code&code=a&code=b&redirect_uri=${encodeURIComponent(REDIRECT)}`), 'invalid_request', 'parameter code is repeated'],
      [token().set('Authorization', 'Basic Zm9v').send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }), 'invalid_request', 'invalid Authorization header: expected Basic base64(client_id:client_secret)'],
      [
        request(f.app).post('/oauth2/token/').set('Authorization', auth).send({ grant_type: 'authorization_code', code: { a: 1 }, redirect_uri: REDIRECT }),
        'invalid_request',
        'parameter code must be a string',
      ],
    ];
    for (const [req, error, description] of cases) {
      const res = await req;
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error, error_description: description });
      expect(res.body.error_description).toMatch(DESCRIPTION_CHARSET);
    }
  });
});

describe('no client authentication (RFC 6749 §5.2 invalid_client)', () => {
  it.each(['/oauth2/token/', '/oauth2/revoke/'])('When %s gets no client identification, then 401 invalid_client with a Basic challenge', async (path) => {
    const res = await request(f.app).post(path).type('form').send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, token: 'x' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.body.error_description).toMatch(DESCRIPTION_CHARSET);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="ods"/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each(['Bearer abc', 'Digest x'])('When the client authenticates with another scheme (%s), then 401 invalid_client (unsupported method)', async (header) => {
    const res = await token().set('Authorization', header).send({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'unsupported client authentication method: use Basic, or client_id and client_secret in the body' });
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="ods"/);
  });
});

describe('redirect_uri left out (RFC 6749 §3.1.2.3, §4.1.3)', () => {
  const withoutRedirect = () => ({ client_id: f.confidential.clientId, response_type: 'code', state: 'xyz' });

  it('When a client with one registered redirect URI leaves it out, then the code goes to that URI and is redeemed without it', async () => {
    const first = await authorize(new URLSearchParams(withoutRedirect()).toString());
    expect(first.status).toBe(200);
    // The forms carry the request as it was: no redirect_uri, so the code is not bound to a given one.
    expect(first.text).not.toContain('name="redirect_uri"');
    const r = await authorizeInBrowser(f.app, withoutRedirect());
    expect(r.res.status).toBe(302);
    expect(r.location!.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(queryOf(r.location).get('state')).toBe('xyz');
    const code = queryOf(r.location).get('code')!;
    const res = await token()
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .send({ grant_type: 'authorization_code', code });
    expect(res.status).toBe(200);
    expect((await apiCall(res.body.access_token)).status).toBe(200);
  });

  it('When the code was asked without redirect_uri, then the token request may send the registered one, and no other', async () => {
    const codeOf = async () => queryOf((await authorizeInBrowser(f.app, withoutRedirect())).location).get('code')!;
    expect((await exchange(f, await codeOf())).status).toBe(200);
    const other = await exchange(f, await codeOf(), { redirect_uri: 'https://client.example.com/cb2' });
    expect(other.status).toBe(400);
    expect(other.body.error).toBe('invalid_grant');
  });

  it('When the authorization request had a redirect_uri, then the token request must repeat it', async () => {
    const res = await token()
      .set('Authorization', basic(f.confidential.clientId, f.confidential.clientSecret))
      .send({ grant_type: 'authorization_code', code: await codeFor(f) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'redirect_uri is missing' });
  });

  it('When a client with several redirect URIs leaves it out, then a 400 page and no redirect', async () => {
    const two = await f.auth.identity.registerClient({ name: 'Two', type: 'confidential', redirect_uris: [REDIRECT, 'https://client.example.com/cb2'] });
    const res = await authorize(new URLSearchParams({ client_id: two.client.clientId, response_type: 'code', state: 'xyz' }).toString());
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('redirect_uri is missing: the client has several registered');
  });
});
