import { errors } from '@opensearch-project/opensearch';
import request from 'supertest';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';

function setup() {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor);
  return { backend, app: buildApp(backend) };
}

const searches = (backend: ReturnType<typeof fakeBackend>) => backend.calls.filter((c) => c.method === 'searchRecords');

describe('GET /api/records/1.0/analyze', () => {
  it('answers the v1 array, having sent the composite with the filtering query', async () => {
    const { app, backend } = setup();
    backend.onSearch = () => ({
      aggregations: {
        x: {
          buckets: [
            { key: { x0: 'FR' }, doc_count: 3, y0: { count: 3, sum: 60, min: 10, max: 30, sum_of_squares: 1400 } },
            { key: { x0: 'AD' }, doc_count: 1, y0: { count: 1, sum: 7, min: 7, max: 7, sum_of_squares: 49 } },
          ],
        },
      },
    });
    const res = await request(app)
      .get('/api/records/1.0/analyze/?dataset=cities&x=country&y.pop.func=SUM&y.pop.expr=population&y.n.func=COUNT&refine.country=FR&timezone=UTC&maxpoints=')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual([
      { x: 'AD', pop: 7, n: 1 },
      { x: 'FR', pop: 60, n: 3 },
    ]);
    const [call] = searches(backend);
    expect(call!.args[0]).toBe('cities');
    const body = call!.args[1] as Record<string, unknown>;
    expect(JSON.stringify(body.query)).toContain('"fields.country.keyword"');
    expect(body.aggs).toEqual({
      x: {
        composite: { size: 5000, sources: [{ x0: { terms: { field: 'fields.country.keyword' } } }] },
        aggs: { y0: { extended_stats: { field: 'fields.population' } } },
      },
    });
  });

  it('serves the dataset alias, POST, JSONP and CSV', async () => {
    const { app, backend } = setup();
    backend.onSearch = () => ({ hits: { total: { value: 12 } }, aggregations: {} });
    const alias = await request(app).post('/api/datasets/1.0/cities/records/analyze/').type('form').send('y.total.func=COUNT').expect(200);
    expect(alias.body).toEqual([{ total: 12 }]);
    const jsonp = await request(app).get('/api/records/1.0/analyze?dataset=cities&y.total.func=COUNT&callback=cb').expect(200);
    expect(jsonp.text).toBe('/**/cb([{"total":12}]);');
    const csv = await request(app).get('/api/records/1.0/analyze?dataset=cities&y.total.func=COUNT&format=csv&csv_separator=,').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toBe('total\r\n12\r\n');
  });

  it.each([
    ['x=country&y.s.func=AVG&y.s.expr=sqrt(popu)', 'y.s.expr'],
    ['x=country&y.s.func=AVG&y.s.expr=sqrt(population', 'y.s.expr'],
    ['x=geo', 'x'],
    ['x=founded&precision=fortnight', 'precision'],
    ['x=country&y.s.func=AVERAGE&y.s.expr=population', 'y.s.func'],
    ['x=country&maxpoints=lots', 'maxpoints'],
    ['x=country&timezone=Mars/Olympus', 'timezone'],
    ['x=country&output_timezone=Nowhere', 'output_timezone'],
    ['x=country&format=xml', 'format'],
    ['x=country&format=csv&csv_separator=ab', 'csv_separator'],
    ['x=country&q=population>', 'q'],
  ])('%s → 400 naming %s, before any search', async (qs, parameter) => {
    const { app, backend } = setup();
    const res = await request(app).get(`/api/records/1.0/analyze?dataset=cities&${qs}`).expect(400);
    expect(res.body.error).toContain(parameter);
    expect(res.body.parameter).toBe(parameter);
    expect(res.body.errorcode).toBeGreaterThanOrEqual(10400);
    expect(searches(backend)).toHaveLength(0);
  });

  it("answers an unknown x field with v1's words, and the parameter and closest fields in the body", async () => {
    const { app, backend } = setup();
    const res = await request(app).get('/api/records/1.0/analyze?dataset=cities&x=contry&y.n.func=COUNT').expect(400);
    expect(res.body).toEqual({ errorcode: 10400, parameter: 'x', field: 'contry', known_fields: expect.arrayContaining(['country']), error: "Unknown facet name 'contry'" });
    expect(res.body.known_fields[0]).toBe('country');
    expect(searches(backend)).toHaveLength(0);
  });

  it('without dataset: 400; unknown dataset: 404', async () => {
    const { app } = setup();
    expect((await request(app).get('/api/records/1.0/analyze?x=country').expect(400)).body.parameter).toBe('dataset');
    await request(app).get('/api/records/1.0/analyze?dataset=nope&x=country').expect(404);
  });

  it('past ANALYZE_MAX_BUCKETS: 400 naming the setting', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor);
    let n = 0;
    backend.onSearch = (_id, body) => {
      const size = ((body.aggs as { x: { composite: { size: number } } }).x.composite.size);
      return { aggregations: { x: { buckets: Array.from({ length: size }, () => ({ key: { x0: `k${n++}` }, doc_count: 1 })), after_key: { x0: 'z' } } } };
    };
    const app = createApp({
      config: { trustProxy: false, maxRequestBodyBytes: 1 << 20, analyzeMaxBuckets: 1000 },
      logger: createLogger('silent'),
      backend,
      registry: datasetRegistry(backend, 0),
    });
    const res = await request(app).get('/api/records/1.0/analyze?dataset=cities&x=name').expect(400);
    expect(res.body).toMatchObject({ limit: 'ANALYZE_MAX_BUCKETS', max: 1000 });
    expect(res.body.error).toContain('ANALYZE_MAX_BUCKETS');
  });
});

describe('an expression OpenSearch cannot compile or run', () => {
  const scriptFailure = (script: string) =>
    new errors.ResponseError({
      body: { error: { root_cause: [{ type: 'script_exception', reason: 'compile error', script, lang: 'expression' }], type: 'search_phase_execution_exception' }, status: 400 },
      statusCode: 400,
      headers: {},
      warnings: null,
      meta: {},
    } as unknown as ConstructorParameters<typeof errors.ResponseError>[0]);

  it('is bad input: 400 naming the serie whose script failed, without the backend exception', async () => {
    const { app, backend } = setup();
    backend.onSearch = (_id, body) => {
      const aggs = (body.aggs as { x: { aggs: Record<string, { filter?: unknown; aggs?: { v: { extended_stats: { script: { source: string } } } } }> } }).x.aggs;
      throw scriptFailure(aggs.y1!.aggs!.v.extended_stats.script.source);
    };
    const res = await request(app).get('/api/records/1.0/analyze/?dataset=cities&x=country&y.a.func=SUM&y.a.expr=population*2&y.b.func=AVG&y.b.expr=sqrt(population)');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errorcode: 10400, parameter: 'y.b.expr', error: 'Invalid value for parameter "y.b.expr": the search backend cannot evaluate this expression' });
  });

  it('names the first expression when OpenSearch does not say which script failed', async () => {
    const { app, backend } = setup();
    backend.onSearch = () => {
      throw scriptFailure('');
    };
    const res = await request(app).get('/api/records/1.0/analyze/?dataset=cities&x=country&y.n.func=COUNT&y.a.func=SUM&y.a.expr=population*2');
    expect(res.status).toBe(400);
    expect(res.body.parameter).toBe('y.a.expr');
  });
});
