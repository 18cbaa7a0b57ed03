/**
 * The Explore API v2.1 routes over a fake backend: what reaches OpenSearch (the ODSQL filters, the
 * bounds on limit and offset, the caller's record filters), the v2.1 response shapes and error
 * bodies. The numbers themselves are checked on the real node (test/integration/explore-v21.int.test.ts).
 */
import request from 'supertest';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, emptyish, paris } from '../fixtures/datasets/cities';
import { memoryQuotaStore, quotaService, testApp } from '../helpers/quota-support';
import { createMetrics } from '../../src/metrics/metrics';

const V21 = '/api/explore/v2.1/catalog/datasets';

function setup(response: Record<string, unknown> = { hits: { total: { value: 2, relation: 'eq' }, hits: [paris, emptyish].map((r) => ({ _id: r.recordid, _source: r })) } }) {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor, [paris, emptyish]);
  backend.searchRecords = async (id, body) => {
    backend.calls.push({ method: 'searchRecords', args: [id, body] });
    return response;
  };
  return { backend, app: buildApp(backend) };
}
const bodies = (backend: ReturnType<typeof setup>['backend']) =>
  backend.calls.filter((c) => c.method === 'searchRecords').map((c) => c.args[1] as Record<string, unknown>);

describe('GET /api/explore/v2.1/catalog/datasets/{id}/records', () => {
  it('answers total_count and flat results, every field present (null when empty), trailing slash accepted', async () => {
    const { app } = setup();
    const res = await request(app).get(`${V21}/cities/records/?limit=2`).expect(200);
    expect(res.body.total_count).toBe(2);
    expect(res.body.results[0]).toMatchObject({ name: 'Paris', country: 'FR' });
    expect(res.body.results[1]).toMatchObject({ name: 'Nowhere', country: null, population: null });
  });

  it('sends the where as the v1 builders write it, with from/size from offset/limit', async () => {
    const { app, backend } = setup();
    await request(app).get(`${V21}/cities/records?where=${encodeURIComponent('population > 100 and country = "FR"')}&limit=5&offset=10`).expect(200);
    const [body] = bodies(backend);
    expect(body).toMatchObject({ from: 10, size: 5 });
    expect(JSON.stringify(body!.query)).toContain('"range":{"fields.population":{"gt":100}}');
    expect(JSON.stringify(body!.query)).toContain('"fields.country.keyword":"FR"');
  });

  it('refuses limit > 100 and offset + limit > 10000 before any backend call, with v2.1 error bodies', async () => {
    const { app, backend } = setup();
    const a = await request(app).get(`${V21}/cities/records?limit=101`).expect(400);
    expect(a.body).toMatchObject({ error_code: 'InvalidRESTParameterError', parameter: 'limit' });
    const b = await request(app).get(`${V21}/cities/records?limit=100&offset=9950`).expect(400);
    expect(b.body).toMatchObject({ error_code: 'InvalidRESTParameterError', parameter: 'offset' });
    expect(bodies(backend)).toHaveLength(0);
  });

  it('a syntax error: 400 ODSQLError with the position and a caret excerpt', async () => {
    const { app } = setup();
    const res = await request(app).get(`${V21}/cities/records?where=${encodeURIComponent('population >')}`).expect(400);
    expect(res.body).toMatchObject({ error_code: 'ODSQLError', parameter: 'where', position: 12, line: 1, column: 13 });
    expect(res.body.message).toContain('population >\n------------^');
  });

  it('an unknown field: 400 ODSQLError naming the field and the closest known ones', async () => {
    const { app } = setup();
    const res = await request(app).get(`${V21}/cities/records?where=${encodeURIComponent('populaton = 3')}`).expect(400);
    expect(res.body).toMatchObject({ error_code: 'ODSQLError', parameter: 'where', position: 0 });
    expect(res.body.errors[0]).toMatchObject({ field: 'populaton' });
    expect(res.body.errors[0].known_fields[0]).toBe('population');
  });

  it('an unknown dataset is a v2.1 404; v1 paths keep v1 bodies', async () => {
    const { app } = setup();
    const res = await request(app).get(`${V21}/nope/records`).expect(404);
    expect(res.body.error_code).toBe('NotFound');
    const v1 = await request(app).get('/api/datasets/1.0/nope').expect(404);
    expect(v1.body.errorcode).toBe(10404);
    expect(v1.body.error_code).toBeUndefined();
  });

  it('group_by: one composite aggregation, metrics as sub-aggregations, rows shaped from the buckets', async () => {
    const { app, backend } = setup({
      aggregations: {
        groups: {
          buckets: [
            { key: { g0: 'FR' }, doc_count: 3, m1: { value: 30 } },
            { key: { g0: 'DE' }, doc_count: 1, m1: { value: 5 } },
          ],
        },
      },
    });
    const res = await request(app).get(`${V21}/cities/records?select=${encodeURIComponent('country, count(*) as n, sum(population) as s')}&group_by=country&order_by=n`).expect(200);
    expect(res.body).toEqual({ total_count: 2, results: [{ country: 'DE', n: 1, s: 5 }, { country: 'FR', n: 3, s: 30 }] });
    const [body] = bodies(backend);
    expect(body!.aggs).toEqual({
      groups: {
        composite: { size: 1000, sources: [{ g0: { terms: { field: 'fields.country.keyword', missing_bucket: true } } }] },
        aggs: { m1: { sum: { field: 'fields.population' } } },
      },
    });
  });
});

describe('quotas and metrics cover v2.1 as they cover v1', () => {
  it('counts a v2.1 call in the same daily quota as v1 calls; over it: 429 with a v2.1 body and the rate-limit headers', async () => {
    const app = testApp({ quota: quotaService(memoryQuotaStore(), { anonymousDailyLimit: 2 }) });
    const first = await request(app).get('/api/datasets/1.0/cities/').expect(200);
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    const second = await request(app).get(`${V21}/cities`).expect(200);
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const third = await request(app).get(`${V21}/cities/records`).expect(429);
    expect(third.body).toMatchObject({ error_code: 'QuotaExceeded' });
    expect(third.headers['x-ratelimit-limit']).toBe('2');
  });

  it('an xlsx export over one worksheet (1 048 575 records) is a 400 naming the bound, before any point-in-time is opened', async () => {
    const { app, backend } = setup({ hits: { total: { value: 1_048_576, relation: 'eq' }, hits: [] } });
    const res = await request(app).get(`${V21}/cities/exports/xlsx`).expect(400);
    expect(res.body.message).toMatch(/1048575/);
    expect(res.body.message).toMatch(/limit/);
    expect(bodies(backend)[0]!.track_total_hits).toBe(1_048_576);
    expect(backend.calls.some((c) => c.method === 'openPit')).toBe(false);
    // With a limit under the bound, the same export starts.
    const ok = await request(app).get(`${V21}/cities/exports/xlsx?limit=10`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(ok.status).toBe(200);
    expect((ok.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });

  it('labels v2.1 requests with their route template in the request metrics', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = testApp({ metrics });
    await request(app).get(`${V21}/cities/records?limit=1`);
    const text = await metrics.registry.metrics();
    expect(text).toContain('endpoint="/api/explore/v2.1/catalog/datasets/:dataset_id/records"');
  });
});
