/**
 * The response cache in the app (src/cache): what is stored and what never is, the quota on cached
 * answers, the memory bound and the metrics. The dataset-generation rules over a real node and Redis
 * are in test/integration/response-cache.int.test.ts.
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { createMetrics } from '../../src/metrics/metrics';
import { memoryGenerations } from '../../src/cache/generations';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, paris } from '../fixtures/datasets/cities';
import { memoryQuotaStore, quotaService } from '../helpers/quota-support';

const RECORD = `/api/datasets/1.0/cities/records/${paris.recordid}`;

function setup(maxBytes = 1 << 20) {
  const backend: FakeBackend = fakeBackend();
  backend.addDataset(citiesDescriptor, [paris]);
  const metrics = createMetrics({ defaultMetrics: false });
  const quota = quotaService(memoryQuotaStore(), { anonymousDailyLimit: 1000 });
  const app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 60_000),
    quota,
    metrics,
    responseCache: { generations: memoryGenerations(), maxBytes, ttlMs: 60_000, nowTtlMs: 1000 },
  });
  const calls = (method: string) => backend.calls.filter((c) => c.method === method).length;
  return { app, calls, backend };
}

const metric = (text: string, line: RegExp): number => Number(line.exec(text)?.[1] ?? NaN);

describe('response cache', () => {
  it('When the same record is asked twice, then OpenSearch is asked once and both answers are equal', async () => {
    const { app, calls } = setup();
    const a = await request(app).get(RECORD).expect(200);
    const b = await request(app).get(RECORD).expect(200);
    expect(calls('getRecord')).toBe(1);
    expect(b.headers['x-cache']).toBe('hit');
    expect(b.text).toBe(a.text);
    expect(b.headers['content-type']).toBe(a.headers['content-type']);
    expect(b.headers.etag).toBe(a.headers.etag);
  });

  it('When an answer comes from the cache, then the call is still counted in the quota', async () => {
    const { app } = setup();
    const a = await request(app).get(RECORD).expect(200);
    const b = await request(app).get(RECORD).expect(200);
    expect(b.headers['x-cache']).toBe('hit');
    expect(Number(b.headers['x-ratelimit-remaining'])).toBe(Number(a.headers['x-ratelimit-remaining']) - 1);
  });

  it('When the parameters come in another order, then the same entry answers (normalised request)', async () => {
    const { app, calls } = setup();
    await request(app).get('/api/datasets/1.0/cities?extrametas=true&interopmetas=false').expect(200);
    const b = await request(app).get('/api/datasets/1.0/cities?interopmetas=false&extrametas=true').expect(200);
    expect(b.headers['x-cache']).toBe('hit');
    expect(calls('getCatalogDoc')).toBeGreaterThanOrEqual(1);
  });

  it('When a request fails (unknown record), then the failure is not stored', async () => {
    const { app, calls } = setup();
    await request(app).get('/api/datasets/1.0/cities/records/0000').expect(404);
    await request(app).get('/api/datasets/1.0/cities/records/0000').expect(404);
    expect(calls('getRecord')).toBe(2);
  });

  it('When a download is asked twice, then it is computed twice (downloads are never cached)', async () => {
    const { app, calls } = setup();
    const a = await request(app).get('/api/records/1.0/download?dataset=cities&format=csv').expect(200);
    const b = await request(app).get('/api/records/1.0/download?dataset=cities&format=csv').expect(200);
    expect(b.text).toBe(a.text);
    expect(b.headers['x-cache']).toBeUndefined();
    expect(calls('openPit')).toBe(2);
  });

  it('When more answers than the bound are stored, then the least recently used are evicted and the bytes stay within it', async () => {
    const maxBytes = 16_000;
    const { app } = setup(maxBytes);
    for (let i = 0; i < 40; i++) await request(app).get(`${RECORD}?n=${i}`).expect(200);
    // the most recent is still there, the first is gone
    expect((await request(app).get(`${RECORD}?n=39`)).headers['x-cache']).toBe('hit');
    expect((await request(app).get(`${RECORD}?n=0`)).headers['x-cache']).toBe('miss');
    const text = (await request(app).get('/metrics').expect(200)).text;
    const bytes = metric(text, /^ods_response_cache_bytes (\S+)$/m);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(maxBytes);
    expect(metric(text, /^ods_response_cache_evictions_total (\S+)$/m)).toBeGreaterThan(0);
    expect(metric(text, /^ods_response_cache_requests_total\{result="hit"\} (\S+)$/m)).toBe(1);
    expect(metric(text, /^ods_response_cache_requests_total\{result="miss"\} (\S+)$/m)).toBe(41);
  });

  it('When a JSONP callback differs, then the answers are cached apart', async () => {
    const { app } = setup();
    const a = await request(app).get(`${RECORD}?callback=one`).expect(200);
    const b = await request(app).get(`${RECORD}?callback=two`).expect(200);
    expect(a.text.startsWith('/**/one(')).toBe(true);
    expect(b.text.startsWith('/**/two(')).toBe(true);
    expect(b.headers['x-cache']).toBe('miss');
  });
});
