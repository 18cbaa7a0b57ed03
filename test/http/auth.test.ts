/**
 * API keys on the API and the authentication middleware (docs/v1-api.md: Authentication, What real clients send).
 */
import request from 'supertest';
import { authFixture, authorizeInBrowser, REDIRECT, type AuthFixture } from '../helpers/auth';
import { citiesDescriptor, paris } from '../fixtures/datasets/cities';

let f: AuthFixture;
beforeEach(async () => {
  f = await authFixture();
  f.backend.addDataset(citiesDescriptor, [paris]);
  // Restricted to the group of alice: a key that works is one that sees it.
  f.backend.addDataset({ ...citiesDescriptor, datasetid: 'north-only', visibility: { restricted: { users: [], groups: ['north'] } } }, [paris]);
});

const NOT_VALID = { errorcode: 10401, error: 'API key is not valid' };
const northOnly = '/api/datasets/1.0/north-only/';

describe('API keys', () => {
  it('authenticates with Authorization: Apikey, ?apikey= and apikey in a form or JSON body', async () => {
    expect((await request(f.app).get(northOnly).set('Authorization', `Apikey ${f.keys.alice}`)).status).toBe(200);
    expect((await request(f.app).get(northOnly).set('Authorization', `apikey ${f.keys.alice}`)).status).toBe(200);
    expect((await request(f.app).get(`${northOnly}?apikey=${f.keys.alice}`)).status).toBe(200);
    expect((await request(f.app).post(northOnly).type('form').send({ apikey: f.keys.alice })).status).toBe(200);
    expect((await request(f.app).post(northOnly).send({ apikey: f.keys.alice })).status).toBe(200);
    const res = await request(f.app).get(`${northOnly}?apikey=${f.keys.alice}`);
    expect(res.headers['cache-control']).toBe('private');
  });

  it('answers an unknown key with 401 {"errorcode": 10401, "error": "API key is not valid"} (odsclient), wherever it came from', async () => {
    for (const req of [
      request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', 'Apikey 0000000000000000000000000000000000000000'),
      request(f.app).get('/api/datasets/1.0/cities/?apikey=nope'),
      request(f.app).post('/api/datasets/1.0/cities/').type('form').send({ apikey: 'nope' }),
    ]) {
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body).toEqual(NOT_VALID);
      expect(res.headers['www-authenticate']).toBe('Apikey realm="ods"');
    }
  });

  it('rejects a key sent twice or a malformed Apikey header with 400', async () => {
    expect((await request(f.app).get(`/api/datasets/1.0/cities/?apikey=${f.keys.alice}&apikey=${f.keys.alice}`)).status).toBe(400);
    expect((await request(f.app).get(`/api/datasets/1.0/cities/?apikey=${f.keys.alice}`).set('Authorization', `Apikey ${f.keys.alice}`)).status).toBe(400);
    expect((await request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', `Apikey ${f.keys.alice} extra`)).status).toBe(400);
    expect((await request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', 'Apikey')).status).toBe(400);
  });

  it('gives the same user whichever credential: a key and a token of alice both see her dataset; bob sees it as unknown', async () => {
    expect((await request(f.app).get(northOnly).set('Authorization', `Apikey ${f.keys.bob}`)).status).toBe(404);
    expect((await request(f.app).get(northOnly)).status).toBe(401);
  });

  it('stops accepting a key as soon as it is revoked, or its user deleted', async () => {
    const [key] = await f.auth.identity.listApiKeys('alice');
    await f.auth.identity.revokeApiKey(key!.keyId);
    expect((await request(f.app).get(`${northOnly}?apikey=${f.keys.alice}`)).body).toEqual(NOT_VALID);
    await f.auth.identity.deleteUser('bob');
    expect((await request(f.app).get(`/api/datasets/1.0/cities/?apikey=${f.keys.bob}`)).status).toBe(401);
  });

  it('ignores Authorization schemes that are not ours (Basic, Digest): the caller stays anonymous', async () => {
    const res = await request(f.app).get('/api/datasets/1.0/cities/').set('Authorization', `Basic ${Buffer.from('alice:alice-password').toString('base64')}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBeUndefined();
    expect((await request(f.app).get(northOnly).set('Authorization', 'Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=')).status).toBe(401);
  });

  it('never lets the OAuth2 login cookie authenticate an API call (so JSONP cannot leak private data cross-site)', async () => {
    // alice logs in on the authorization pages: her browser now has a session cookie.
    const r = await authorizeInBrowser(f.app, { client_id: f.confidential.clientId, redirect_uri: REDIRECT, response_type: 'code' });
    expect(r.res.status).toBe(302);
    expect(r.cookie).toMatch(/^ods_oauth2_session=/);
    // A page on another site includes <script src=".../north-only/?callback=steal">: the cookie is not a credential.
    const res = await request(f.app).get(`${northOnly}?callback=steal`).set('Cookie', r.cookie!);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('steal(');
  });

  it('serves JSONP of a restricted dataset only with an explicit credential in the URL, as application/javascript + nosniff', async () => {
    const res = await request(f.app).get(`${northOnly}?callback=show&apikey=${f.keys.alice}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/javascript/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private');
    expect(res.text.startsWith('/**/show(')).toBe(true);
    const bad = await request(f.app).get(`${northOnly}?callback=${encodeURIComponent('alert(1)//')}&apikey=${f.keys.alice}`);
    expect(bad.status).toBe(400);
  });

  it('leaves the OAuth2 endpoints and /healthz alone (no API authentication there)', async () => {
    expect((await request(f.app).get('/healthz').set('Authorization', 'Bearer whatever')).status).toBe(200);
    expect((await request(f.app).get('/.well-known/oauth-authorization-server?apikey=nope')).status).toBe(200);
  });
});
