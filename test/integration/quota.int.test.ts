/**
 * Quotas end to end over the real stack: two gateway apps (one Redis connection each, like two
 * replicas) in front of the real OpenSearch node and the real Redis, running record searches on a
 * sample dataset. Exactly the limit is served, with real search answers; the rest get the v1 quota
 * body; metrics label the calls with the search route.
 */
import type { Redis } from 'ioredis';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { createMetrics, type GatewayMetrics } from '../../src/metrics/metrics';
import { closeTestContext, testContext } from '../helpers/integration';
import { cleanKeys, listen, quotaService, redisClient, redisStore, uniquePrefix, burst } from '../helpers/quota-support';

const ctx = testContext();
const backend = openSearchBackend(ctx.client, ctx.names);
const prefix = uniquePrefix();
const clients: Redis[] = [];

afterAll(async () => {
  if (clients[0]) await cleanKeys(clients[0], prefix);
  for (const c of clients) await c.quit();
  await closeTestContext();
});

async function gateway(metrics: GatewayMetrics) {
  const client = await redisClient();
  clients.push(client);
  const quota = quotaService(redisStore(client, prefix), { anonymousDailyLimit: 20 }, { observer: metrics.quotaObserver });
  const app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 5000),
    quota,
    metrics,
  });
  return listen(app);
}

it('two gateways over OpenSearch and Redis serve exactly the daily limit of record searches', async () => {
  const m1 = createMetrics({ defaultMetrics: false });
  const m2 = createMetrics({ defaultMetrics: false });
  const a = await gateway(m1);
  const b = await gateway(m2);
  try {
    const results = await burst([a.url, b.url], 30, '/api/records/1.0/search?dataset=movies&rows=1');
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(20);
    for (const r of ok) expect(Number(r.body?.nhits)).toBeGreaterThan(1000);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(r.body).toMatchObject({ errorcode: 10005, call_limit: 20, limit_time_unit: 'day' });
    const remaining = ok.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).sort((x, y) => x - y);
    expect(remaining).toEqual(Array.from({ length: 20 }, (_, i) => i));

    const text = (await m1.registry.metrics()) + (await m2.registry.metrics());
    const served = [...text.matchAll(/^ods_http_requests_total\{endpoint="\/api\/records\/1\.0\/search",method="GET",status="(\d+)"\} (\d+)$/gm)];
    const byStatus: Record<string, number> = {};
    for (const [, status, n] of served) byStatus[status!] = (byStatus[status!] ?? 0) + Number(n);
    expect(byStatus).toEqual({ '200': 20, '429': 10 });
  } finally {
    await a.close();
    await b.close();
  }
});

it('one Redis round trip per admitted call counts it, its TTL and its top-consumers entry; refused calls are not counted', async () => {
  const client = await redisClient();
  clients.push(client);
  const own = uniquePrefix();
  const store = redisStore(client, own);
  const quota = quotaService(store, { anonymousDailyLimit: 3, overridesRefreshMs: 60_000 });
  // What the connection is asked to send (ioredis has no public per-command hook).
  const sent: string[] = [];
  const write = client.sendCommand.bind(client);
  (client as unknown as { sendCommand: typeof write }).sendCommand = ((cmd: Parameters<typeof write>[0], stream?: Parameters<typeof write>[1]) => {
    sent.push(cmd.name);
    return write(cmd, stream);
  }) as typeof write;
  const first = await quota.check('ip:198.51.100.7', 'anonymous');
  expect(first.outcome).toBe('allowed');
  // The first call may load the script (evalsha answered NOSCRIPT, then eval); later ones are one evalsha.
  sent.length = 0;
  expect((await quota.check('ip:198.51.100.9', 'anonymous')).outcome).toBe('allowed');
  expect(sent).toEqual(['evalsha']);

  const outcomes: string[] = [first.outcome];
  for (let i = 0; i < 4; i += 1) outcomes.push((await quota.check('ip:198.51.100.7', 'anonymous')).outcome);
  await quota.check('ip:198.51.100.8', 'anonymous');
  expect(outcomes).toEqual(['allowed', 'allowed', 'allowed', 'rejected', 'rejected']);
  expect((await quota.usage('ip:198.51.100.7')).used).toBe(3);
  const top = (await quota.top(10)).top;
  expect(top[0]).toEqual({ identity: 'ip:198.51.100.7', calls: 3 });
  expect(top.slice(1).sort((x, y) => (x.identity < y.identity ? -1 : 1))).toEqual([
    { identity: 'ip:198.51.100.8', calls: 1 },
    { identity: 'ip:198.51.100.9', calls: 1 },
  ]);
  const day = new Date().toISOString().slice(0, 10);
  const counterTtl = await client.ttl(`${own}:quota:calls:${day}:ip:198.51.100.7`);
  const topTtl = await client.ttl(`${own}:quota:top:${day}`);
  await cleanKeys(client, own);
  expect(counterTtl).toBeGreaterThan(0);
  expect(counterTtl).toBeLessThanOrEqual(86_400 + 60);
  expect(topTtl).toBeGreaterThan(86_400 - 1);
  expect(topTtl).toBeLessThanOrEqual(2 * 86_400);
});
