/**
 * The identity admin API (/admin/identity/...): administrators only, secrets shown once.
 */
import request from 'supertest';
import { authFixture, type AuthFixture } from '../helpers/auth';
import { citiesDescriptor } from '../fixtures/datasets/cities';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
let f: AuthFixture;
beforeEach(async () => {
  f = await authFixture({ adminToken: ADMIN_TOKEN });
  f.backend.addDataset({ ...citiesDescriptor, datasetid: 'private', visibility: { restricted: { users: ['carol'], groups: [] } } });
});

const admin = () => ({ Authorization: `Apikey ${f.keys.admin}` });
const as = (headers: Record<string, string>) => ({
  get: (p: string) => request(f.app).get(p).set(headers),
  post: (p: string, body: object) => request(f.app).post(p).set(headers).send(body),
  put: (p: string, body: object) => request(f.app).put(p).set(headers).send(body),
  patch: (p: string, body: object) => request(f.app).patch(p).set(headers).send(body),
  delete: (p: string) => request(f.app).delete(p).set(headers),
});

describe('identity admin API', () => {
  it('is for administrators: anonymous 401, a plain user 403, an admin key or ADMIN_TOKEN 200', async () => {
    expect((await request(f.app).get('/admin/identity/users')).status).toBe(401);
    const user = await as({ Authorization: `Apikey ${f.keys.alice}` }).get('/admin/identity/users');
    expect(user.status).toBe(403);
    expect(user.body.errorcode).toBe(10403);
    expect((await as(admin()).get('/admin/identity/users')).status).toBe(200);
    expect((await as({ Authorization: `Bearer ${ADMIN_TOKEN}` }).get('/admin/identity/users')).status).toBe(200);
    // An unknown bearer on /admin/ is not a 401 from the middleware: the route decides (anonymous → 401).
    expect((await as({ Authorization: 'Bearer not-the-token' }).get('/admin/identity/users')).status).toBe(401);
  });

  it('manages users without ever showing password hashes', async () => {
    const a = as(admin());
    const created = await a.post('/admin/identity/users', { username: 'carol', password: 'carol-password', groups: ['north'], attributes: { city: 'Lyon' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ username: 'carol', groups: ['north'], attributes: { city: 'Lyon' }, admin: false, has_password: true, created_at: expect.any(String) });
    const list = await a.get('/admin/identity/users');
    expect(list.body.users.map((u: { username: string }) => u.username)).toEqual(['alice', 'bob', 'carol', 'root']);
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password_hash|passwordHash/);
    const patched = await a.patch('/admin/identity/users/carol', { admin: true, groups: [] });
    expect(patched.body).toMatchObject({ username: 'carol', admin: true, groups: [], attributes: { city: 'Lyon' } });
    expect((await a.get('/admin/identity/users/carol')).body.admin).toBe(true);
    expect((await a.post('/admin/identity/users', { username: 'bad name!' })).status).toBe(400);
    expect((await a.patch('/admin/identity/users/nobody', { admin: true })).status).toBe(404);
    expect((await a.delete('/admin/identity/users/carol')).status).toBe(204);
    expect((await a.get('/admin/identity/users/carol')).status).toBe(404);
  });

  it('creates an API key shown once, lists keys without key or hash, and revokes one (401 at once)', async () => {
    const a = as(admin());
    await a.post('/admin/identity/users', { username: 'carol' });
    const created = await a.post('/admin/identity/apikeys', { username: 'carol', label: 'report' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ key: expect.stringMatching(/^[0-9a-f]{40}$/), key_id: expect.stringMatching(/^[0-9a-f]{16}$/), username: 'carol', label: 'report', created_at: expect.any(String) });
    const key = created.body.key as string;
    expect((await request(f.app).get('/api/datasets/1.0/private/').set('Authorization', `Apikey ${key}`)).status).toBe(200);
    const list = await a.get('/admin/identity/apikeys?username=carol');
    expect(list.body.apikeys).toEqual([{ key_id: created.body.key_id, username: 'carol', label: 'report', created_at: expect.any(String) }]);
    expect(JSON.stringify((await a.get('/admin/identity/apikeys')).body)).not.toContain(key);
    expect((await a.delete(`/admin/identity/apikeys/${created.body.key_id}`)).status).toBe(204);
    const after = await request(f.app).get('/api/datasets/1.0/private/').set('Authorization', `Apikey ${key}`);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ errorcode: 10401, error: 'API key is not valid' });
    expect((await a.delete(`/admin/identity/apikeys/${created.body.key_id}`)).status).toBe(404);
    expect((await a.post('/admin/identity/apikeys', { username: 'nobody' })).status).toBe(404);
  });

  it('registers OAuth2 clients (secret shown once) and deletes them', async () => {
    const a = as(admin());
    const conf = await a.post('/admin/identity/clients', { name: 'Dashboard', type: 'confidential', redirect_uri: 'https://dash.example/cb' });
    expect(conf.status).toBe(201);
    expect(conf.body).toEqual({
      client_id: expect.stringMatching(/^[A-Za-z0-9]{24}$/),
      name: 'Dashboard',
      type: 'confidential',
      redirect_uris: ['https://dash.example/cb'],
      created_at: expect.any(String),
      client_secret: expect.stringMatching(/^[A-Za-z0-9]{40}$/),
    });
    const pub = await a.post('/admin/identity/clients', { name: 'App', type: 'public', redirect_uris: ['com.example:/cb'] });
    expect(pub.body).not.toHaveProperty('client_secret');
    const list = await a.get('/admin/identity/clients');
    expect(JSON.stringify(list.body)).not.toContain(conf.body.client_secret);
    expect(list.body.clients.map((c: { name: string }) => c.name)).toContain('Dashboard');
    expect((await a.post('/admin/identity/clients', { name: 'Bad', redirect_uris: ['https://x.example/cb#frag'] })).status).toBe(400);
    expect((await a.delete(`/admin/identity/clients/${conf.body.client_id}`)).status).toBe(204);
    expect((await request(f.app).get(`/oauth2/authorize/?client_id=${conf.body.client_id}&redirect_uri=https://dash.example/cb&response_type=code`)).status).toBe(400);
  });

  it('sets, lists and deletes access rules (record filter, hidden fields) per dataset and user, group or anonymous', async () => {
    const a = as(admin());
    const put = await a.put('/admin/identity/access-rules', { dataset: 'cities', subject: 'group:north', record_filter: '#attr(country, city)', hidden_fields: ['population'] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ dataset: 'cities', subject: 'group:north', record_filter: '#attr(country, city)', hidden_fields: ['population'], updated_at: expect.any(String) });
    await a.put('/admin/identity/access-rules', { dataset: 'cities', subject: 'anonymous', hidden_fields: ['geo'] });
    const list = await a.get('/admin/identity/access-rules?dataset=cities');
    expect(list.body.access_rules.map((r: { subject: string }) => r.subject)).toEqual(['anonymous', 'group:north']);
    expect((await a.put('/admin/identity/access-rules', { dataset: 'cities', subject: 'everyone' })).status).toBe(400);
    expect((await a.delete('/admin/identity/access-rules/cities/group:north')).status).toBe(204);
    expect((await a.delete('/admin/identity/access-rules/cities/group:north')).status).toBe(404);
    expect((await a.get('/admin/identity/access-rules')).body.access_rules).toHaveLength(1);
  });

  it('manages groups', async () => {
    const a = as(admin());
    expect((await a.post('/admin/identity/groups', { name: 'south', attributes: { region: 'south' } })).status).toBe(201);
    expect((await a.get('/admin/identity/groups')).body.groups.map((g: { name: string }) => g.name)).toEqual(['north', 'south']);
    expect((await a.delete('/admin/identity/groups/south')).status).toBe(204);
    expect((await a.delete('/admin/identity/groups/south')).status).toBe(404);
  });
});
