/**
 * (7) `/metrics`: every name of the contract ops/prometheus/METRICS.md is exposed, with its labels,
 * and the counters move as requests go (each test has its own registry).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createMetrics, DURATION_BUCKETS } from '../../src/metrics/metrics';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, paris } from '../fixtures/datasets/cities';
import { DATASET_PATH, listen, memoryQuotaStore, quotaService, testApp } from '../helpers/quota-support';

const T0 = Date.UTC(2026, 0, 26, 15, 0, 0);

/** The metric names of the contract's table, with their type. */
function contract(): { name: string; type: string }[] {
  const md = readFileSync(join(__dirname, '../../ops/prometheus/METRICS.md'), 'utf8');
  return [...md.matchAll(/^\| `([a-z_]+)` \| (counter|gauge|histogram) \|/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
}

/** The value of one sample line of the exposition, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v) && Object.keys(got).length === Object.keys(labels).length) return Number(m[3]);
  }
  return 0;
}

function setup(over: { anonymousDailyLimit?: number; token?: string } = {}) {
  const metrics = createMetrics({ now: () => T0 });
  const quota = quotaService(memoryQuotaStore(), { anonymousDailyLimit: over.anonymousDailyLimit ?? 1000 }, { now: () => T0, observer: metrics.quotaObserver });
  const app = testApp({ quota, metrics, responseCache: true, ...(over.token ? { tokens: { metrics: over.token } } : {}) });
  return { app, metrics };
}

describe('/metrics', () => {
  it('exposes every name of the contract (and the default process metrics, unprefixed)', async () => {
    const { app } = setup();
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const names = contract();
    expect(names.map((n) => n.name)).toEqual([
      'ods_http_requests_total',
      'ods_http_request_duration_seconds',
      'ods_opensearch_errors_total',
      'ods_quota_decisions_total',
      'ods_quota_store_errors_total',
      'ods_quota_identities_near_limit',
      'ods_response_cache_requests_total',
      'ods_response_cache_evictions_total',
      'ods_response_cache_bytes',
      'ods_response_cache_entries',
    ]);
    for (const { name, type } of names) {
      const base = name.replace(/_total$/, '');
      expect(res.text).toMatch(new RegExp(`^# TYPE (${name}|${base}) ${type}$`, 'm'));
    }
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(res.text).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? `, 'm'));
    }
    // Known label values start at 0.
    for (const decision of ['allowed', 'rejected', 'fail_open', 'fail_closed']) {
      expect(res.text).toContain(`ods_quota_decisions_total{decision="${decision}"} 0`);
    }
    for (const kind of ['connection', 'timeout', 'overloaded', 'failover', 'limit', 'response', 'other']) {
      expect(res.text).toContain(`ods_opensearch_errors_total{kind="${kind}"} 0`);
    }
    expect(res.text).toContain('ods_quota_store_errors_total 0');
  });

  it('counts requests by route template (never the raw URL), method and status, and times them', async () => {
    const { app } = setup();
    await request(app).get(DATASET_PATH).expect(200);
    await request(app).get('/api/datasets/1.0/cities').expect(200);
    await request(app).post('/api/datasets/1.0/cities/').type('form').send('extrametas=true').expect(200);
    await request(app).get('/api/datasets/1.0/unknown-one/').expect(404);
    await request(app).get(`/api/datasets/1.0/cities/records/${paris.recordid}`).expect(200);
    await request(app).get('/no/such/endpoint/42').expect(404);
    await request(app).options(DATASET_PATH).set('Access-Control-Request-Method', 'GET').expect(204);
    await request(app).get('/healthz').expect(200);
    await request(app).get('/metrics').expect(200);

    const text = (await request(app).get('/metrics').expect(200)).text;
    const lookup = '/api/datasets/1.0/:datasetid';
    expect(sample(text, 'ods_http_requests_total', { endpoint: lookup, method: 'GET', status: '200' })).toBe(2);
    expect(sample(text, 'ods_http_requests_total', { endpoint: lookup, method: 'POST', status: '200' })).toBe(1);
    expect(sample(text, 'ods_http_requests_total', { endpoint: lookup, method: 'GET', status: '404' })).toBe(1);
    expect(sample(text, 'ods_http_requests_total', { endpoint: '/api/datasets/1.0/:datasetid/records/:recordid', method: 'GET', status: '200' })).toBe(1);
    expect(sample(text, 'ods_http_requests_total', { endpoint: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(sample(text, 'ods_http_requests_total', { endpoint: 'unmatched', method: 'OPTIONS', status: '204' })).toBe(1);
    // Probes and scrapes are not counted; no raw URL ever becomes a label value.
    expect(text).not.toMatch(/endpoint="\/(healthz|readyz|metrics)"/);
    expect(text).not.toContain('unknown-one');
    expect(text).not.toContain('/no/such');
    expect(sample(text, 'ods_http_request_duration_seconds_count', { endpoint: lookup })).toBe(4);
    const buckets = [...text.matchAll(/^ods_http_request_duration_seconds_bucket\{le="([^"]+)",endpoint="\/api\/datasets\/1\.0\/:datasetid"\}/gm)].map((m) => m[1]);
    expect(buckets).toEqual([...DURATION_BUCKETS.map(String), '+Inf']);
  });

  it('counts quota decisions and the identities near their limit', async () => {
    const { app } = setup({ anonymousDailyLimit: 5 });
    for (let i = 0; i < 3; i += 1) await request(app).get(DATASET_PATH).expect(200);
    let text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'ods_quota_decisions_total', { decision: 'allowed' })).toBe(3);
    expect(sample(text, 'ods_quota_identities_near_limit')).toBe(0);
    await request(app).get(DATASET_PATH).expect(200); // 4 of 5: 80 %
    text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'ods_quota_identities_near_limit')).toBe(1);
    await request(app).get(DATASET_PATH).expect(200);
    await request(app).get(DATASET_PATH).expect(429);
    await request(app).get(DATASET_PATH).set('X-Test-User', 'alice').expect(200);
    text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'ods_quota_decisions_total', { decision: 'allowed' })).toBe(6);
    expect(sample(text, 'ods_quota_decisions_total', { decision: 'rejected' })).toBe(1);
    expect(sample(text, 'ods_quota_identities_near_limit')).toBe(1);
    expect(sample(text, 'ods_http_requests_total', { endpoint: '/api/datasets/1.0/:datasetid', method: 'GET', status: '429' })).toBe(1);
  });

  it('labels calls refused before routing (quota 429) with the template they would have reached', async () => {
    const { app } = setup({ anonymousDailyLimit: 0 });
    await request(app).get('/api/records/1.0/search?dataset=cities').expect(429);
    await request(app).post('/api/datasets/1.0/search').type('form').send('q=x').expect(429);
    await request(app).get('/api/datasets/1.0/cities/records').expect(429);
    await request(app).head(DATASET_PATH).expect(429);
    await request(app).get('/nowhere').expect(429);
    const text = (await request(app).get('/metrics')).text;
    const at = (endpoint: string, method = 'GET') => sample(text, 'ods_http_requests_total', { endpoint, method, status: '429' });
    expect(at('/api/records/1.0/search')).toBe(1);
    // The catalog search, not a lookup of a dataset called "search" (the routers' order is kept).
    expect(at('/api/datasets/1.0/search', 'POST')).toBe(1);
    expect(at('/api/datasets/1.0/:datasetid/records')).toBe(1);
    expect(at('/api/datasets/1.0/:datasetid', 'HEAD')).toBe(1);
    expect(at('unmatched')).toBe(1);
  });

  it('counts OpenSearch failures by kind from the errors that reach the error handler', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor, [paris]);
    const metrics = createMetrics({ defaultMetrics: false });
    const app = testApp({ backend, metrics });
    backend.failWith = new TypeError('boom');
    await request(app).get(DATASET_PATH).expect(500);
    const text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'ods_opensearch_errors_total', { kind: 'other' })).toBe(1);
    expect(sample(text, 'ods_http_requests_total', { endpoint: '/api/datasets/1.0/:datasetid', method: 'GET', status: '500' })).toBe(1);
  });

  it('records 499 when the client goes away before the answer', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor, [paris]);
    const slow = backend.getCatalogDoc.bind(backend);
    backend.getCatalogDoc = async (id) => {
      await new Promise((r) => setTimeout(r, 300));
      return slow(id);
    };
    const metrics = createMetrics({ defaultMetrics: false });
    const { url, close } = await listen(testApp({ backend, metrics }));
    try {
      const ac = new AbortController();
      const pending = fetch(`${url}${DATASET_PATH}`, { signal: ac.signal }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      await pending;
      await new Promise((r) => setTimeout(r, 400));
      const text = (await (await fetch(`${url}/metrics`)).text());
      expect(sample(text, 'ods_http_requests_total', { endpoint: '/api/datasets/1.0/:datasetid', method: 'GET', status: '499' })).toBe(1);
    } finally {
      await close();
    }
  });

  it('asks for METRICS_TOKEN when one is set', async () => {
    const token = 'metrics-token-0123456789';
    const { app } = setup({ token });
    const none = await request(app).get('/metrics').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.body.errorcode).toBe(10401);
    await request(app).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const ok = await request(app).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toContain('ods_http_requests_total');
    // The refused scrapes are not API calls: no quota headers, not counted.
    expect(none.headers['x-ratelimit-limit']).toBeUndefined();
  });
});
