/**
 * (6) Redis stopped and restarted mid-run (docs/quotas-and-monitoring.md, When Redis fails), on a redis-server
 * of our own (a free 127.0.0.1 port, no persistence): no request hangs, the configured policy holds
 * (fail-open: 200 within the insurance limit, then 429; fail-closed: 503, never 429), store errors are
 * counted, and after the restart limiting is accurate again with no call counted twice.
 */
import type { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { createMetrics, type GatewayMetrics } from '../../src/metrics/metrics';
import { DATASET_PATH, listen, PrivateRedis, quotaService, redisClient, redisStore, testApp, uniquePrefix } from '../helpers/quota-support';
import { redisReady } from '../../src/quota/wiring';

const BOUND_MS = 2000;

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await PrivateRedis.start();
});
afterAll(async () => {
  await redis.stop();
});

async function timedCall(url: string): Promise<{ status: number; ms: number; headers: Headers; body: Record<string, unknown> }> {
  const started = Date.now();
  const res = await fetch(`${url}${DATASET_PATH}`);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, ms: Date.now() - started, headers: res.headers, body };
}

async function counter(metrics: GatewayMetrics, name: string, label?: string): Promise<number> {
  const m = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  return m.filter((v) => label === undefined || Object.values(v.labels).includes(label)).reduce((a, v) => a + v.value, 0);
}

async function waitReady(client: Redis): Promise<void> {
  // ioredis reconnects by itself (retry every ≤ 2 s): bounded wait.
  expect(await redisReady(client, 10_000)).toBe(true);
}

describe('Redis outage: fail-open (the default)', () => {
  it('admits within the insurance limit without hanging, then counts exactly again after the restart', async () => {
    const prefix = uniquePrefix();
    const client = await redisClient(redis.url, 300);
    const metrics = createMetrics({ defaultMetrics: false });
    // Limit 5; while Redis is down this process may admit 60 % of it on its own: 3.
    const quota = quotaService(redisStore(client, prefix, 300), { anonymousDailyLimit: 5, failOpenPercent: 60 }, { observer: metrics.quotaObserver });
    const { url, close } = await listen(testApp({ quota, metrics }));
    try {
      expect((await timedCall(url)).status).toBe(200);
      expect((await timedCall(url)).status).toBe(200);

      await redis.stop();
      const during = [];
      for (let i = 0; i < 5; i += 1) during.push(await timedCall(url));
      for (const r of during) expect(r.ms).toBeLessThan(BOUND_MS);
      expect(during.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      // The refusal is the ordinary quota body (the insurance counts this process's calls).
      expect(during[3]!.body).toMatchObject({ errorcode: 10005, call_limit: 5, limit_time_unit: 'day' });
      // Headers: the real limit; Remaining counts down this process's insurance share (3).
      expect(during.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0', '0']);
      for (const r of during) expect(r.headers.get('x-ratelimit-limit')).toBe('5');
      expect(await counter(metrics, 'ods_quota_decisions_total', 'fail_open')).toBe(3);
      expect(await counter(metrics, 'ods_quota_store_errors_total')).toBeGreaterThanOrEqual(5);

      await redis.start();
      await waitReady(client);
      // Without persistence the restarted Redis is empty: the shared count starts again, exact.
      const after = [];
      for (let i = 0; i < 6; i += 1) after.push(await timedCall(url));
      expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
      expect(after.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);
      const keys = await client.keys(`${prefix}:quota:calls:*`);
      expect(keys).toHaveLength(1);
      expect(await client.get(keys[0]!)).toBe('5'); // nothing replayed from the outage
      expect(await counter(metrics, 'ods_quota_decisions_total', 'allowed')).toBe(2 + 5);
    } finally {
      await close();
      await client.quit().catch(() => client.disconnect());
      if (!redis.running) await redis.start();
    }
  });

  it('answers within the bound when Redis accepts commands but does not answer (CLIENT PAUSE)', async () => {
    const prefix = uniquePrefix();
    const client = await redisClient(redis.url, 300);
    const metrics = createMetrics({ defaultMetrics: false });
    const quota = quotaService(redisStore(client, prefix, 300), { anonymousDailyLimit: 100 }, { observer: metrics.quotaObserver });
    const { url, close } = await listen(testApp({ quota, metrics }));
    try {
      expect((await timedCall(url)).status).toBe(200);
      spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(redis.port), 'client', 'pause', '1500', 'ALL'], { timeout: 2000 });
      const paused = await Promise.all(Array.from({ length: 5 }, () => timedCall(url)));
      for (const r of paused) {
        expect(r.status).toBe(200);
        expect(r.ms).toBeLessThan(BOUND_MS);
      }
      // They were admitted by the insurance after the store call timed out.
      expect(await counter(metrics, 'ods_quota_decisions_total', 'fail_open')).toBe(5);
    } finally {
      await close();
      await new Promise((r) => setTimeout(r, 1600));
      await client.quit().catch(() => client.disconnect());
    }
  });

  it('never hangs when Redis goes away during a burst', async () => {
    const prefix = uniquePrefix();
    const client = await redisClient(redis.url, 300);
    const quota = quotaService(redisStore(client, prefix, 300), { anonymousDailyLimit: 1000 });
    const { url, close } = await listen(testApp({ quota }));
    try {
      const started = Date.now();
      const calls = Promise.all(Array.from({ length: 40 }, () => timedCall(url)));
      await redis.stop();
      const results = await calls;
      expect(Date.now() - started).toBeLessThan(BOUND_MS + 3000); // the stop itself takes up to a few hundred ms
      for (const r of results) {
        expect(r.status).toBe(200);
        expect(r.ms).toBeLessThan(BOUND_MS + 3000);
      }
      await redis.start();
      await waitReady(client);
      // Commands in flight when the connection dropped are not resent: the fresh counter holds only new calls.
      for (let i = 0; i < 3; i += 1) expect((await timedCall(url)).status).toBe(200);
      const keys = await client.keys(`${prefix}:quota:calls:*`);
      expect(keys).toHaveLength(1);
      expect(Number(await client.get(keys[0]!))).toBe(3);
    } finally {
      await close();
      await client.quit().catch(() => client.disconnect());
      if (!redis.running) await redis.start();
    }
  });
});

describe('Redis outage: fail-closed', () => {
  it('answers 503 with Retry-After (never 429) without hanging, and admits again once Redis is back', async () => {
    const prefix = uniquePrefix();
    const client = await redisClient(redis.url, 300);
    const metrics = createMetrics({ defaultMetrics: false });
    const quota = quotaService(redisStore(client, prefix, 300), { anonymousDailyLimit: 5, failurePolicy: 'closed' }, { observer: metrics.quotaObserver });
    const { url, close } = await listen(testApp({ quota, metrics }));
    try {
      expect((await timedCall(url)).status).toBe(200);
      await redis.stop();
      for (let i = 0; i < 8; i += 1) {
        const r = await timedCall(url);
        expect(r.ms).toBeLessThan(BOUND_MS);
        expect(r.status).toBe(503);
        expect(r.body).toEqual({ errorcode: 10504, error: 'The quota service is unavailable, retry later' });
        expect(r.headers.get('retry-after')).toBe('5');
        expect(r.headers.get('x-ratelimit-limit')).toBe('5');
        expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
      }
      expect(await counter(metrics, 'ods_quota_decisions_total', 'fail_closed')).toBe(8);
      expect(await counter(metrics, 'ods_quota_decisions_total', 'rejected')).toBe(0);
      expect(await counter(metrics, 'ods_quota_store_errors_total')).toBeGreaterThanOrEqual(8);

      await redis.start();
      await waitReady(client);
      const back = await timedCall(url);
      expect(back.status).toBe(200);
      expect(back.headers.get('x-ratelimit-remaining')).toBe('4');
    } finally {
      await close();
      await client.quit().catch(() => client.disconnect());
    }
  });
});
