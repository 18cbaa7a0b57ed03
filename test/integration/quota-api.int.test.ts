/**
 * Daily quotas through the real app and a real Redis (127.0.0.1:6379), docs/quotas-and-monitoring.md:
 * (1) an atomic burst across two gateway processes, (2) headers and bodies, (3) the midnight
 * rollover, (4) one bucket per identity, (5) the domain cap against the per-identity quota.
 */
import request from 'supertest';
import type { Redis } from 'ioredis';
import { resetEpochSeconds } from '../../src/quota/clock';
import {
  burst,
  cleanKeys,
  DATASET_PATH,
  listen,
  quotaService,
  redisClient,
  redisStore,
  testApp,
  uniquePrefix,
} from '../helpers/quota-support';

const clients: Redis[] = [];
const prefixes: string[] = [];

async function shared(): Promise<{ prefix: string; client: () => Promise<Redis> }> {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return {
    prefix,
    client: async () => {
      const c = await redisClient();
      clients.push(c);
      return c;
    },
  };
}

afterAll(async () => {
  const c = clients[0] ?? (await redisClient());
  for (const p of prefixes) await cleanKeys(c, p);
  for (const cl of new Set([...clients, c])) await cl.quit();
});

/** A fixed instant: 2026-01-26 15:00:00 UTC. */
const T0 = Date.UTC(2026, 0, 26, 15, 0, 0);
const NEXT_MIDNIGHT = Date.UTC(2026, 0, 27) / 1000;

describe('(1) a burst across two gateway processes sharing Redis', () => {
  it('admits exactly the limit: 50 × 200 and 30 × 429 out of 80 concurrent calls', async () => {
    const { prefix, client } = await shared();
    // Two gateways: separate apps, Redis connections and services, like two replicas.
    const a = await listen(testApp({ quota: quotaService(redisStore(await client(), prefix), { anonymousDailyLimit: 50 }) }));
    const b = await listen(testApp({ quota: quotaService(redisStore(await client(), prefix), { anonymousDailyLimit: 50 }) }));
    try {
      const results = await burst([a.url, b.url], 80);
      const ok = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status === 429);
      expect(ok).toHaveLength(50);
      expect(refused).toHaveLength(30);
      // Each admitted call saw a distinct count: Remaining 49..0, each once, never negative.
      const remaining = ok.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).sort((x, y) => x - y);
      expect(remaining).toEqual(Array.from({ length: 50 }, (_, i) => i));
      for (const r of results) {
        expect(Number(r.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
        expect(r.headers.get('x-ratelimit-limit')).toBe('50');
      }
      for (const r of refused) {
        expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
        expect(r.body).toEqual({
          errorcode: 10005,
          reset_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/),
          limit_time_unit: 'day',
          call_limit: 50,
          error: 'You have exceeded the requests limit for anonymous users.',
        });
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // Refused calls do not count: the shared counter holds exactly the admitted calls.
      const c = await client();
      const keys = await c.keys(`${prefix}:quota:calls:*`);
      expect(keys).toHaveLength(1);
      expect(await c.get(keys[0]!)).toBe('50');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('(2) X-RateLimit-* headers and the 429 body', () => {
  it('sends Limit, Remaining and Reset (next midnight UTC) on 200, 4xx and 429, with Retry-After and reset_time on 429', async () => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix), { anonymousDailyLimit: 3 }, { now: () => T0 });
    const app = testApp({ quota });

    const ok = await request(app).get(DATASET_PATH).expect(200);
    expect(ok.headers['x-ratelimit-limit']).toBe('3');
    expect(ok.headers['x-ratelimit-remaining']).toBe('2');
    expect(ok.headers['x-ratelimit-reset']).toBe(String(NEXT_MIDNIGHT));
    expect(ok.headers['retry-after']).toBeUndefined();

    // A 404 (unknown dataset) and a 400 (bad parameter) are calls too, and carry the headers.
    const missing = await request(app).get('/api/datasets/1.0/nope/').expect(404);
    expect(missing.headers['x-ratelimit-remaining']).toBe('1');
    const bad = await request(app).get('/api/datasets/1.0/cities/?format=xml').expect(400);
    expect(bad.headers['x-ratelimit-remaining']).toBe('0');
    expect(bad.headers['x-ratelimit-reset']).toBe(String(NEXT_MIDNIGHT));

    const refused = await request(app).get(DATASET_PATH).expect(429);
    expect(refused.headers['x-ratelimit-limit']).toBe('3');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-reset']).toBe(String(NEXT_MIDNIGHT));
    expect(refused.headers['retry-after']).toBe(String(9 * 3600));
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.body).toEqual({
      errorcode: 10005,
      reset_time: '2026-01-27T00:00:00Z',
      limit_time_unit: 'day',
      call_limit: 3,
      error: 'You have exceeded the requests limit for anonymous users.',
    });
    // reset_time and X-RateLimit-Reset are the same instant.
    expect(Date.parse(refused.body.reset_time) / 1000).toBe(Number(refused.headers['x-ratelimit-reset']));
    // CORS exposes them to browser clients.
    expect(refused.headers['access-control-expose-headers']).toMatch(/X-RateLimit-Remaining/);
  });

  it('does not count health probes, CORS preflights and unknown admin paths', async () => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix), { anonymousDailyLimit: 2 });
    const app = testApp({ quota });
    for (let i = 0; i < 5; i += 1) {
      await request(app).get('/healthz').expect(200);
      await request(app).options(DATASET_PATH).set('Access-Control-Request-Method', 'GET').expect(204);
    }
    // Without ADMIN_TOKEN the admin API does not exist (404), and such calls are not counted either.
    await request(app).get('/admin/quota/usage?identity=ip:127.0.0.1').expect(404);
    const health = await request(app).get('/healthz');
    expect(health.headers['x-ratelimit-limit']).toBeUndefined();
    const first = await request(app).get(DATASET_PATH).expect(200);
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
  });

  it('uses the real clock by default: Reset is the next midnight UTC', async () => {
    const { prefix, client } = await shared();
    const app = testApp({ quota: quotaService(redisStore(await client(), prefix)) });
    const before = Date.now();
    const res = await request(app).get(DATASET_PATH).expect(200);
    const reset = Number(res.headers['x-ratelimit-reset']);
    expect([resetEpochSeconds(before), resetEpochSeconds(Date.now())]).toContain(reset);
    expect(reset % 86400).toBe(0);
  });
});

describe('(3) rollover at 00:00 UTC', () => {
  it('refuses at 23:59:59.900 once exhausted, then admits at 00:00:00.100 with Remaining = Limit - 1', async () => {
    const { prefix, client } = await shared();
    let now = Date.UTC(2026, 0, 26, 23, 59, 59, 900);
    const app = testApp({ quota: quotaService(redisStore(await client(), prefix), { anonymousDailyLimit: 3 }, { now: () => now }) });
    for (let i = 0; i < 3; i += 1) await request(app).get(DATASET_PATH).expect(200);
    const refused = await request(app).get(DATASET_PATH).expect(429);
    expect(refused.body.reset_time).toBe('2026-01-27T00:00:00Z');
    expect(refused.headers['retry-after']).toBe('1');

    now = Date.UTC(2026, 0, 27, 0, 0, 0, 100);
    const next = await request(app).get(DATASET_PATH).expect(200);
    expect(next.headers['x-ratelimit-remaining']).toBe('2');
    expect(next.headers['x-ratelimit-reset']).toBe(String(Date.UTC(2026, 0, 28) / 1000));
  });
});

describe('(4) one bucket per identity', () => {
  it('keys anonymous callers on the X-Forwarded-For client only when TRUST_PROXY trusts the hop', async () => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix));
    const app = testApp({ quota, trustProxy: 'loopback' });
    await request(app).get(DATASET_PATH).set('X-Forwarded-For', '203.0.113.7').expect(200);
    await request(app).get(DATASET_PATH).set('X-Forwarded-For', '203.0.113.7').expect(200);
    await request(app).get(DATASET_PATH).set('X-Forwarded-For', '198.51.100.9').expect(200);
    expect((await quota.usage('ip:203.0.113.7')).used).toBe(2);
    expect((await quota.usage('ip:198.51.100.9')).used).toBe(1);
  });

  it.each([
    ['TRUST_PROXY=false', false],
    ['a trusted proxy that is not the hop', '10.0.0.1'],
  ])('ignores a spoofed X-Forwarded-For from an untrusted hop (%s): no new bucket', async (_name, trustProxy) => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix), { anonymousDailyLimit: 2 });
    const { url, close } = await listen(testApp({ quota, trustProxy }));
    try {
      const statuses: number[] = [];
      for (const spoof of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        statuses.push((await fetch(`${url}${DATASET_PATH}`, { headers: { 'X-Forwarded-For': spoof } })).status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect((await quota.usage('ip:127.0.0.1')).used).toBe(2);
      expect((await quota.usage('ip:203.0.113.1')).used).toBe(0);
      expect((await quota.top(10)).top).toEqual([{ identity: 'ip:127.0.0.1', calls: 2 }]);
    } finally {
      await close();
    }
  });

  it('counts a user once whichever way the credential came, apart from the IP, with the user limit', async () => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix), { anonymousDailyLimit: 5, userDailyLimit: 7 });
    const app = testApp({ quota });
    const viaKey = await request(app).get(DATASET_PATH).set('X-Test-User', 'alice').expect(200);
    expect(viaKey.headers['x-ratelimit-limit']).toBe('7');
    expect(viaKey.headers['x-ratelimit-remaining']).toBe('6');
    const viaBearer = await request(app).get(DATASET_PATH).set('X-Test-User', 'alice').set('X-Test-Via', 'bearer').expect(200);
    expect(viaBearer.headers['x-ratelimit-remaining']).toBe('5');
    const anonymous = await request(app).get(DATASET_PATH).expect(200);
    expect(anonymous.headers['x-ratelimit-limit']).toBe('5');
    expect(anonymous.headers['x-ratelimit-remaining']).toBe('4');
    expect((await quota.usage('user:alice')).used).toBe(2);
  });

  it("answers a user's own quota with 429 errorcode 10005 and the account message", async () => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix), { userDailyLimit: 1 }, { now: () => T0 });
    const app = testApp({ quota });
    await request(app).get(DATASET_PATH).set('X-Test-User', 'bob').expect(200);
    const refused = await request(app).get(DATASET_PATH).set('X-Test-User', 'bob').expect(429);
    expect(refused.body).toEqual({
      errorcode: 10005,
      reset_time: '2026-01-27T00:00:00Z',
      limit_time_unit: 'day',
      call_limit: 1,
      error: 'You have exceeded the requests limit for your account.',
    });
  });

  it('applies a per-identity override at once, and raising it lifts a refusal the same day', async () => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix), { userDailyLimit: 2 });
    const app = testApp({ quota });
    await request(app).get(DATASET_PATH).set('X-Test-User', 'carol').expect(200);
    await request(app).get(DATASET_PATH).set('X-Test-User', 'carol').expect(200);
    await request(app).get(DATASET_PATH).set('X-Test-User', 'carol').expect(429);
    await quota.setOverride('user:carol', 4);
    const res = await request(app).get(DATASET_PATH).set('X-Test-User', 'carol').expect(200);
    expect(res.headers['x-ratelimit-limit']).toBe('4');
    expect(res.headers['x-ratelimit-remaining']).toBe('1');
    // Another gateway process reads the override from Redis.
    const other = testApp({ quota: quotaService(redisStore(await client(), prefix), { userDailyLimit: 2 }) });
    const there = await request(other).get(DATASET_PATH).set('X-Test-User', 'carol').expect(200);
    expect(there.headers['x-ratelimit-remaining']).toBe('0');
    await request(other).get(DATASET_PATH).set('X-Test-User', 'carol').expect(429);
  });
});

describe('(5) the domain cap and the per-identity quota', () => {
  it('checks the identity first (10005), then the domain (10002); refused calls count nowhere', async () => {
    const { prefix, client } = await shared();
    const quota = quotaService(redisStore(await client(), prefix), { userDailyLimit: 3, domainDailyLimit: 5 }, { now: () => T0 });
    const app = testApp({ quota });
    const alice = () => request(app).get(DATASET_PATH).set('X-Test-User', 'alice');
    const bob = () => request(app).get(DATASET_PATH).set('X-Test-User', 'bob');

    for (let i = 0; i < 3; i += 1) await alice().expect(200);
    const own = await alice().expect(429);
    expect(own.body.errorcode).toBe(10005);
    expect(own.body.call_limit).toBe(3);

    await bob().expect(200);
    // Bob's second call leaves 1 call for the domain: the headers show the tighter layer.
    const tight = await bob().expect(200);
    expect(tight.headers['x-ratelimit-limit']).toBe('5');
    expect(tight.headers['x-ratelimit-remaining']).toBe('0');

    const domain = await bob().expect(429);
    expect(domain.body).toEqual({
      errorcode: 10002,
      reset_time: '2026-01-27T00:00:00Z',
      limit_time_unit: 'day',
      call_limit: 5,
      error: 'Too many requests on the domain. Please contact the domain administrator.',
    });
    expect(domain.headers['x-ratelimit-limit']).toBe('5');
    expect(domain.headers['x-ratelimit-remaining']).toBe('0');
    expect(domain.headers['retry-after']).toBe(String(9 * 3600));

    // A caller over its own quota keeps its own body, even with the domain exhausted.
    expect((await alice().expect(429)).body.errorcode).toBe(10005);
    expect((await quota.usage('user:bob')).used).toBe(2);
    expect((await quota.usage('user:alice')).used).toBe(3);
    expect(await quota.domainUsage()).toEqual({ day: '2026-01-26', used: 5, limit: 5 });
  });
});
