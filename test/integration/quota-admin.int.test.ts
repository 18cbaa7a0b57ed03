/**
 * (8) The quota admin API and the `quota` CLI read the same Redis: usage and top consumers match the
 * calls made; overrides set either way apply to the next call.
 */
import type { Redis } from 'ioredis';
import { Redis as IORedis } from 'ioredis';
import request from 'supertest';
import { runQuotaCli } from '../../src/cli/quota';
import { utcDay } from '../../src/quota/clock';
import { redisQuotaStore } from '../../src/quota/store';
import {
  cleanKeys,
  DATASET_PATH,
  listen,
  memoryQuotaStore,
  quotaService,
  REDIS_URL,
  redisClient,
  redisStore,
  testApp,
  uniquePrefix,
} from '../helpers/quota-support';

const TOKEN = 'admin-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };

let client: Redis;
const prefix = uniquePrefix();
beforeAll(async () => {
  client = await redisClient();
});
afterAll(async () => {
  await cleanKeys(client, prefix);
  await client.quit();
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runQuotaCli(args, {
    env: { REDIS_URL, INDEX_PREFIX: prefix, QUOTA_USER_DAILY_LIMIT: '50', QUOTA_ANONYMOUS_DAILY_LIMIT: '20' },
    out: (s) => (out += s),
    err: (s) => (err += s),
  });
  return { code, out, err };
}

describe('admin API and CLI over the shared Redis', () => {
  const quota = () => quotaService(redisStore(client, prefix), { userDailyLimit: 50, anonymousDailyLimit: 20 });
  let server: { url: string; close: () => Promise<void> };
  let app: ReturnType<typeof testApp>;

  beforeAll(async () => {
    app = testApp({ quota: quota(), tokens: { admin: TOKEN } });
    server = await listen(app);
    const call = (headers: Record<string, string> = {}) => fetch(`${server.url}${DATASET_PATH}`, { headers });
    for (let i = 0; i < 3; i += 1) expect((await call()).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await call({ 'X-Test-User': 'alice' })).status).toBe(200);
    expect((await call({ 'X-Test-User': 'bob' })).status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
  });

  it('GET /admin/quota/usage gives the calls of today, the limit, what is left and the reset', async () => {
    const res = await request(app).get('/admin/quota/usage?identity=user:alice').set(auth).expect(200);
    const today = utcDay(Date.now());
    expect(res.body).toEqual({
      identity: 'user:alice',
      day: today,
      used: 2,
      limit: 50,
      remaining: 48,
      reset_time: expect.stringMatching(/T00:00:00Z$/),
      override: null,
    });
    const ip = await request(app).get('/admin/quota/usage').query({ identity: 'ip:127.0.0.1' }).set(auth).expect(200);
    expect(ip.body).toMatchObject({ used: 3, limit: 20, remaining: 17 });
    // Admin calls are not counted and carry no quota headers.
    expect(ip.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('GET /admin/quota/top lists the heaviest identities of the day', async () => {
    const res = await request(app).get('/admin/quota/top').set(auth).expect(200);
    expect(res.body).toEqual({
      day: utcDay(Date.now()),
      top: [
        { identity: 'ip:127.0.0.1', calls: 3 },
        { identity: 'user:alice', calls: 2 },
        { identity: 'user:bob', calls: 1 },
      ],
    });
    const one = await request(app).get('/admin/quota/top?n=1').set(auth).expect(200);
    expect(one.body.top).toEqual([{ identity: 'ip:127.0.0.1', calls: 3 }]);
    const yesterday = utcDay(Date.now() - 86_400_000);
    expect((await request(app).get(`/admin/quota/top?day=${yesterday}`).set(auth).expect(200)).body).toEqual({ day: yesterday, top: [] });
  });

  it('the CLI prints the same usage and top consumers', async () => {
    const usage = await cli('--json', 'usage', 'user:alice');
    expect(usage.code).toBe(0);
    const api = await request(app).get('/admin/quota/usage?identity=user:alice').set(auth).expect(200);
    expect(JSON.parse(usage.out)).toEqual(api.body);

    const top = await cli('top', '--n', '2', '--json');
    expect(top.code).toBe(0);
    expect(JSON.parse(top.out).top).toEqual([
      { identity: 'ip:127.0.0.1', calls: 3 },
      { identity: 'user:alice', calls: 2 },
    ]);

    const text = await cli('usage', 'ip:127.0.0.1');
    expect(text.out).toMatch(/^ip:127\.0\.0\.1 {2}\d{4}-\d{2}-\d{2} {2}used 3 of 20 {2}remaining 17/);
    const topText = await cli('top');
    expect(topText.out).toContain('ip:127.0.0.1');
    expect(topText.out.split('\n')[1]).toMatch(/^\s+1\s+3\s+ip:127\.0\.0\.1$/);
  });

  it('PUT /admin/quota/overrides/<identity> sets a limit that the next call obeys; DELETE removes it', async () => {
    const put = await request(app).put('/admin/quota/overrides/user:alice').set(auth).send({ limit: 2 }).expect(200);
    expect(put.body).toEqual({ identity: 'user:alice', limit: 2 });
    const refused = await request(app).get(DATASET_PATH).set('X-Test-User', 'alice').expect(429);
    expect(refused.body).toMatchObject({ errorcode: 10005, call_limit: 2 });
    expect((await request(app).get('/admin/quota/usage?identity=user:alice').set(auth)).body).toMatchObject({ used: 2, limit: 2, remaining: 0, override: 2 });
    expect((await request(app).get('/admin/quota/overrides').set(auth).expect(200)).body).toEqual({ overrides: { 'user:alice': 2 } });
    // Form bodies work too.
    await request(app).put('/admin/quota/overrides/ip:192.0.2.1').set(auth).type('form').send('limit=9').expect(200);
    await request(app).delete('/admin/quota/overrides/ip:192.0.2.1').set(auth).expect(200);
    await request(app).delete('/admin/quota/overrides/user:alice').set(auth).expect(200, { identity: 'user:alice', limit: null });
    await request(app).get(DATASET_PATH).set('X-Test-User', 'alice').expect(200);
  });

  it('the CLI sets and clears limits for every gateway', async () => {
    const set = await cli('set-limit', 'user:bob', '1');
    expect(set.code).toBe(0);
    expect(set.out).toBe('user:bob: 1 calls a day\n');
    // Another gateway process reads it from Redis.
    const other = testApp({ quota: quota() });
    await request(other).get(DATASET_PATH).set('X-Test-User', 'bob').expect(429);
    expect(JSON.parse((await cli('overrides', '--json')).out)).toEqual({ overrides: { 'user:bob': 1 } });
    expect((await cli('clear-limit', 'user:bob')).code).toBe(0);
    await request(testApp({ quota: quota() })).get(DATASET_PATH).set('X-Test-User', 'bob').expect(200);
    const domain = await cli('domain', '--json');
    expect(JSON.parse(domain.out)).toMatchObject({ limit: null });
  });

  it('asks for the admin token or an administrator', async () => {
    const none = await request(app).get('/admin/quota/top').expect(401);
    // The one admin guard (src/http/admin-guard.ts): the gateway's challenge, as on every API.
    expect(none.headers['www-authenticate']).toBe('Bearer realm="ods"');
    expect(none.body.errorcode).toBe(10401);
    await request(app).get('/admin/quota/top').set('Authorization', 'Bearer not-the-admin-token-000').expect(401);
    await request(app).get('/admin/quota/top').set('Authorization', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`).expect(401);
    await request(app).get('/admin/quota/top').set('X-Test-User', 'mallory').expect(403);
    await request(app).put('/admin/quota/overrides/user:mallory').set('X-Test-User', 'mallory').send({ limit: 999999 }).expect(403);
    const ok = await request(app).get('/admin/quota/top').set('X-Test-User', 'root').set('X-Test-Admin', '1').expect(200);
    // Usage and limits are never kept by a cache, and neither is a refusal.
    expect(ok.headers['cache-control']).toBe('no-store');
    expect((await request(app).get('/admin/quota/overrides').set(auth)).headers['cache-control']).toBe('no-store');
  });

  it('validates its parameters', async () => {
    const missing = await request(app).get('/admin/quota/usage').set(auth).expect(400);
    expect(missing.body).toMatchObject({ errorcode: 10400, parameter: 'identity' });
    await request(app).get('/admin/quota/usage?identity=alice').set(auth).expect(400);
    await request(app).get('/admin/quota/usage?identity=user:a&identity=user:b').set(auth).expect(400);
    await request(app).get('/admin/quota/top?n=0').set(auth).expect(400);
    await request(app).get('/admin/quota/top?n=abc').set(auth).expect(400);
    await request(app).get('/admin/quota/top?day=2026-02-30').set(auth).expect(400);
    await request(app).put('/admin/quota/overrides/user:x').set(auth).send({ limit: -1 }).expect(400);
    await request(app).put('/admin/quota/overrides/user:x').set(auth).send({ limit: 1.5 }).expect(400);
    await request(app).put('/admin/quota/overrides/user:x').set(auth).send({}).expect(400);
    await request(app).put('/admin/quota/overrides/nobody').set(auth).send({ limit: 1 }).expect(400);
    expect((await cli('usage', 'alice')).code).toBe(2);
    expect((await cli('set-limit', 'user:x', '-3')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });
});

describe('admin API and CLI edge cases', () => {
  it('is absent (404) without ADMIN_TOKEN, even for an administrator', async () => {
    const app = testApp({ quota: quotaService(memoryQuotaStore()) });
    await request(app).get('/admin/quota/top').set(auth).expect(404);
    await request(app).get('/admin/quota/top').set('X-Test-User', 'root').set('X-Test-Admin', '1').expect(404);
  });

  it('answers 503 when the store is down', async () => {
    const down = new IORedis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const app = testApp({ quota: quotaService(redisQuotaStore(down, { prefix: 'never', timeoutMs: 200 })), tokens: { admin: TOKEN } });
    const res = await request(app).get('/admin/quota/usage?identity=user:a').set(auth).expect(503);
    expect(res.body.errorcode).toBe(10504);
    await request(app).put('/admin/quota/overrides/user:a').set(auth).send({ limit: 5 }).expect(503);
    down.disconnect();
  });

  it('the CLI refuses to run without REDIS_URL, and fails (bounded) when Redis is unreachable', async () => {
    let err = '';
    const io = { out: () => undefined, err: (s: string) => (err += s) };
    expect(await runQuotaCli(['usage', 'user:a'], { ...io, env: {} })).toBe(2);
    expect(err).toMatch(/REDIS_URL is not set/);
    const started = Date.now();
    expect(await runQuotaCli(['usage', 'user:a'], { ...io, env: { REDIS_URL: 'redis://127.0.0.1:1' } })).toBe(1);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(err).toMatch(/not reachable/);
  }, 15_000);
});
