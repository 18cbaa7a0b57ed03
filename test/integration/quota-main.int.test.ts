/**
 * The composition root wires quotas and metrics: with REDIS_URL the counters are in Redis (shared),
 * without it in process; /metrics and the admin API are served; stop() closes the quota connection.
 */
import { start } from '../../src/main';
import { cleanKeys, REDIS_URL, redisClient, uniquePrefix } from '../helpers/quota-support';

const TOKEN = 'main-admin-token-0123456789';

describe('main: quotas and metrics', () => {
  it('with REDIS_URL: counts in Redis, serves /metrics and the admin API, stops cleanly', async () => {
    const prefix = uniquePrefix();
    const { server, stop } = await start({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      OPENSEARCH_URL: 'http://127.0.0.1:1',
      REDIS_URL,
      INDEX_PREFIX: prefix,
      QUOTA_ANONYMOUS_DAILY_LIMIT: '2',
      ADMIN_TOKEN: TOKEN,
      SHUTDOWN_TIMEOUT_MS: '1000',
    });
    const client = await redisClient();
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      // OpenSearch is down (503), but the call is counted and carries the quota headers.
      const first = await fetch(`${base}/api/datasets/1.0/cities/`);
      expect(first.status).toBe(503);
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      await fetch(`${base}/api/datasets/1.0/cities/`);
      const refused = await fetch(`${base}/api/datasets/1.0/cities/`);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { errorcode: number }).errorcode).toBe(10005);

      expect(await client.keys(`${prefix}:quota:calls:*`)).toHaveLength(1);
      const usage = await fetch(`${base}/admin/quota/usage?identity=ip:127.0.0.1`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(await usage.json()).toMatchObject({ used: 2, limit: 2, remaining: 0 });

      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('ods_quota_decisions_total{decision="rejected"} 1');
      expect(metrics).toContain('ods_opensearch_errors_total{kind="connection"} 2');
      expect(metrics).toContain('process_cpu_seconds_total');
    } finally {
      await stop();
      await cleanKeys(client, prefix);
      await client.quit();
    }
    expect(server.listening).toBe(false);
  });

  it('without REDIS_URL: an in-process store, and no admin API without ADMIN_TOKEN', async () => {
    const { server, stop } = await start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPENSEARCH_URL: 'http://127.0.0.1:1', SHUTDOWN_TIMEOUT_MS: '1000' });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const res = await fetch(`${base}/api/datasets/1.0/cities/`);
      expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
      expect(res.headers.get('x-ratelimit-remaining')).toBe('999');
      expect((await fetch(`${base}/admin/quota/top`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await stop();
    }
  });
});
