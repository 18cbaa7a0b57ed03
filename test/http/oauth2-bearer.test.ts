/**
 * Bearer tokens on the API (RFC 6750 on the resource side; docs/security.md, OAuth2 authorization server).
 */
import request from 'supertest';
import { sha256 } from '../../src/auth/secrets';
import { authFixture, tokensFor, type AuthFixture } from '../helpers/auth';
import { citiesDescriptor, paris } from '../fixtures/datasets/cities';

let f: AuthFixture;
let access: string;
beforeEach(async () => {
  f = await authFixture();
  f.backend.addDataset(citiesDescriptor, [paris]);
  f.backend.addDataset({ ...citiesDescriptor, datasetid: 'private', visibility: { restricted: { users: ['bob'], groups: [] } } }, [paris]);
  access = (await tokensFor(f)).access_token;
});

const lookup = (path = '/api/datasets/1.0/cities/') => request(f.app).get(path);

describe('bearer tokens on the API (B rows)', () => {
  it('B1: Authorization: Bearer <valid> → 200, the caller is the user, answer Cache-Control: private', async () => {
    const res = await lookup().set('Authorization', `Bearer ${access}`);
    expect(res.status).toBe(200);
    expect(res.body.datasetid).toBe('cities');
    expect(res.headers['cache-control']).toBe('private');
    // The scheme is case-insensitive (RFC 7235).
    expect((await lookup().set('Authorization', `bearer ${access}`)).status).toBe(200);
  });

  it('B2: the token in ?access_token= (v1 compatibility) → 200 with Cache-Control: private; in a form body → 200', async () => {
    const res = await lookup(`/api/datasets/1.0/cities/?access_token=${access}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private');
    const body = await request(f.app).post('/api/datasets/1.0/cities/').type('form').send({ access_token: access });
    expect(body.status).toBe(200);
  });

  it('B3: the token in the header AND the query (or body), or twice in the query → 400 invalid_request', async () => {
    const both = await lookup(`/api/datasets/1.0/cities/?access_token=${access}`).set('Authorization', `Bearer ${access}`);
    expect(both.status).toBe(400);
    expect(both.body.errorcode).toBe(10400);
    expect(both.headers['www-authenticate']).toBe('Bearer realm="ods", error="invalid_request"');
    const body = await request(f.app).post('/api/datasets/1.0/cities/').set('Authorization', `Bearer ${access}`).type('form').send({ access_token: access });
    expect(body.status).toBe(400);
    const twice = await lookup(`/api/datasets/1.0/cities/?access_token=${access}&access_token=${access}`);
    expect(twice.status).toBe(400);
  });

  it.each([
    ['unknown', 'x'.repeat(30)],
    ['too long', 'x'.repeat(300)],
  ])('B4: an %s token → 401 WWW-Authenticate: Bearer realm="ods", error="invalid_token"', async (_what, tok) => {
    const res = await lookup().set('Authorization', `Bearer ${tok}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ods", error="invalid_token"');
    expect(res.body).toEqual({ errorcode: 10401, error: 'The access token is invalid, expired or revoked' });
  });

  it('B4: an expired token (past OAUTH2_ACCESS_TOKEN_TTL_SECONDS) → 401 invalid_token', async () => {
    f.clock.now += 3600 * 1000 + 1;
    const res = await lookup().set('Authorization', `Bearer ${access}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ods", error="invalid_token"');
  });

  it('B4: a revoked token, and the token of a deleted user → 401 invalid_token', async () => {
    const other = (await tokensFor(f)).access_token;
    await f.auth.tokens.revokeAccessToken(sha256(access));
    expect((await lookup().set('Authorization', `Bearer ${access}`)).status).toBe(401);
    await f.auth.identity.deleteUser('alice');
    expect((await lookup().set('Authorization', `Bearer ${other}`)).status).toBe(401);
  });

  it('B5: no credentials on a restricted dataset → 401 with a Bearer challenge without error', async () => {
    for (const path of ['/api/datasets/1.0/private/', `/api/datasets/1.0/private/records/${paris.recordid}`]) {
      const res = await lookup(path);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="ods"');
      expect(res.body.errorcode).toBe(10401);
    }
  });

  it('B6: a valid token, dataset not permitted → 404 as if it did not exist (no existence leak)', async () => {
    const res = await lookup('/api/datasets/1.0/private/').set('Authorization', `Bearer ${access}`);
    expect(res.status).toBe(404);
    const unknown = await lookup('/api/datasets/1.0/nosuchdataset/').set('Authorization', `Bearer ${access}`);
    expect(res.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: private' });
    expect(unknown.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: nosuchdataset' });
  });

  it('B7: Authorization: Apikey and a bearer token (header, query or body) together → 400', async () => {
    const header = await lookup(`/api/datasets/1.0/cities/?access_token=${access}`).set('Authorization', `Apikey ${f.keys.alice}`);
    expect(header.status).toBe(400);
    expect(header.body.error).toMatch(/not both/);
    const query = await lookup(`/api/datasets/1.0/cities/?apikey=${f.keys.alice}`).set('Authorization', `Bearer ${access}`);
    expect(query.status).toBe(400);
    const body = await request(f.app).post(`/api/datasets/1.0/cities/?apikey=${f.keys.alice}`).type('form').send({ access_token: access });
    expect(body.status).toBe(400);
  });

  it.each(['Bearer a b', 'Bearer', 'Bearer  two-spaces'])('B8: Authorization: %j (not exactly two parts) → 400', async (header) => {
    const res = await lookup().set('Authorization', header);
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ods", error="invalid_request"');
  });
});
