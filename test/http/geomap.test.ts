/**
 * geopreview and geopolygon over a fake backend: the requests ods-map sends (ods-widgets
 * map-rendering-shape-preview.js, map-rendering-aggregation.js, map-rendering-choropleth-aggregation.js),
 * parameters checked before any search, the dataset aliases, JSONP, and geo_digest on the record
 * endpoints the map tooltip calls afterwards (map-tooltip.js, map-layer-helper.js).
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';

const square = { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]] };

function setup() {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor);
  backend.addDataset({
    datasetid: 'districts',
    metas: { title: 'Districts' },
    fields: [
      { name: 'name', label: 'Name', type: 'text' },
      { name: 'people', label: 'People', type: 'int' },
      { name: 'outline', label: 'Outline', type: 'geo_shape' },
      { name: 'center', label: 'Center', type: 'geo_point_2d' },
    ],
  });
  backend.addDataset({ datasetid: 'nogeo', metas: { title: 'No geo' }, fields: [{ name: 'name', label: 'Name', type: 'text' }] });
  return { backend, app: buildApp(backend) };
}
const searches = (backend: ReturnType<typeof fakeBackend>) =>
  backend.calls.filter((c) => c.method === 'searchRecords').map((c) => c.args[1] as Record<string, unknown>);

describe('GET /api/records/1.0/geopreview', () => {
  it('answers the shapes of the view as the shape-preview layer reads them, with the bbox on the shapes', async () => {
    const { app, backend } = setup();
    backend.onSearch = () => ({ hits: { hits: [{ _source: { fields: { outline: square }, __geo_digest: { outline: 'd1' } } }] } });
    const res = await request(app)
      .get('/api/records/1.0/geopreview/?rows=1000&clusterprecision=4&geofilter.bbox=33.43,-46.40,57.51,56.07&dataset=districts&timezone=UTC')
      .expect(200);
    expect(res.body).toEqual([{ geometry: square, geo_digest: 'd1' }]);
    const [body] = searches(backend);
    expect(body).toMatchObject({ size: 1000, collapse: { field: '__geo_digest.outline' } });
    expect(JSON.stringify(body!.query)).toContain('"geo_shape":{"fields.outline"');
    expect(JSON.stringify(body!.query)).not.toContain('geo_bounding_box');
  });

  it('has the dataset alias and JSONP', async () => {
    const { app, backend } = setup();
    backend.onSearch = () => ({ hits: { hits: [] } });
    await request(app).get('/api/datasets/1.0/districts/records/geopreview/?clusterprecision=2').expect(200, []);
    const jsonp = await request(app).get('/api/records/1.0/geopreview/?dataset=districts&callback=cb').expect(200);
    expect(jsonp.text).toBe('/**/cb([]);');
  });

  it.each([
    ['dataset=districts&clusterprecision=40', 'clusterprecision'],
    ['dataset=districts&rows=100000', 'rows'],
    ['dataset=districts&geo_field=name', 'geo_field'],
    ['dataset=nogeo', 'dataset'],
    ['dataset=districts&geofilter.bbox=1,2,3', 'geofilter.bbox'],
  ])('%s → 400 naming %s, before any search', async (qs, parameter) => {
    const { app, backend } = setup();
    const res = await request(app).get(`/api/records/1.0/geopreview/?${qs}`).expect(400);
    expect(res.body.parameter).toBe(parameter);
    expect(searches(backend)).toHaveLength(0);
  });

  it('answers an unknown dataset with the v1 404', async () => {
    const { app } = setup();
    expect((await request(app).get('/api/records/1.0/geopreview/?dataset=nope').expect(404)).body).toEqual({ errorcode: 10404, error: 'Unknown dataset: nope' });
  });
});

describe('GET /api/records/1.0/geopolygon', () => {
  it('answers one cluster per shape with its series, as the aggregation layer reads it', async () => {
    const { app, backend } = setup();
    const replies = [
      { aggregations: { groups: { buckets: [{ key: { g: 'd1' }, doc_count: 2, y0: { count: 2, sum: 30, min: 10, max: 20, sum_of_squares: 500 } }] } } },
      { hits: { hits: [{ _source: { fields: { outline: square }, __geo_digest: { outline: 'd1' } } }] } },
    ];
    backend.onSearch = () => replies.shift()!;
    const res = await request(app)
      .get('/api/records/1.0/geopolygon/?clusterprecision=4&geofilter.bbox=33.43,-46.40,57.51,56.07&y.serie1.expr=people&y.serie1.func=SUM&dataset=districts')
      .expect(200);
    expect(res.body).toEqual({
      clusters: [{ cluster: square, count: 2, series: { serie1: 30 }, geo_digest: 'd1' }],
      count: { max: 2, min: 2 },
      series: { serie1: { max: 30, min: 30 } },
      clusterprecision: 4,
    });
    const [groups, shapes] = searches(backend);
    expect(JSON.stringify(groups)).toContain('"terms":{"field":"__geo_digest.outline"}');
    expect(shapes).toMatchObject({ collapse: { field: '__geo_digest.outline' } });
  });

  it('groups a point dataset by location (the choropleth layer with geo_field)', async () => {
    const { app, backend } = setup();
    backend.onSearch = () => ({ aggregations: { groups: { buckets: [{ key: { g: '29/1/1' }, doc_count: 1, c: { location: { lat: 48.85, lon: 2.35 } } }] } } });
    const res = await request(app).get('/api/records/1.0/geopolygon/?dataset=cities&geo_field=geo&clusterprecision=3').expect(200);
    expect(res.body.clusters).toEqual([{ cluster: { type: 'Point', coordinates: [2.35, 48.85] }, count: 1 }]);
    expect(searches(backend)).toHaveLength(1);
  });

  it.each([
    ['dataset=districts&y.s.func=SUM&y.s.expr=nope', 'y.s.expr'],
    ['dataset=districts&geo_field=people', 'geo_field'],
    ['dataset=nogeo&clusterprecision=3', 'dataset'],
  ])('%s → 400 naming %s, before any search', async (qs, parameter) => {
    const { app, backend } = setup();
    const res = await request(app).get(`/api/records/1.0/geopolygon/?${qs}`).expect(400);
    expect(res.body.parameter).toBe(parameter);
    expect(searches(backend)).toHaveLength(0);
  });
});

describe('geo_digest on the record endpoints (the map tooltip after a click on a shape)', () => {
  it.each([
    ['/api/records/1.0/download/?format=json&rows=100&geo_digest=d1&dataset=districts', 'searchWithPit'],
    ['/api/records/1.0/search/?format=json&rows=100&geo_digest.outline=d1&dataset=districts', 'searchRecords'],
  ])('%s filters on the digest', async (path, method) => {
    const { app, backend } = setup();
    backend.onSearch = () => ({ hits: { total: { value: 0 }, hits: [] } });
    await request(app).get(path).expect(200);
    const body = backend.calls.find((c) => c.method === method)!.args[method === 'searchWithPit' ? 0 : 1];
    expect(JSON.stringify(body)).toContain('{"term":{"__geo_digest.outline":"d1"}}');
  });

  it.each([
    ['/api/records/1.0/search/?dataset=cities&geo_digest=d1', 'geo_digest'],
    ['/api/records/1.0/download/?dataset=districts&geo_digest.center=d1', 'geo_digest.center'],
  ])('%s → 400 naming %s', async (path, parameter) => {
    const { app } = setup();
    expect((await request(app).get(path).expect(400)).body.parameter).toBe(parameter);
  });
});

describe('geopolygon series spend the expression budget as analyze does', () => {
  it('When a caller sends more new expression shapes than its budget, then the extra ones run through the one interpreter script', async () => {
    const backend = fakeBackend();
    backend.addDataset({
      datasetid: 'districts',
      metas: { title: 'Districts' },
      fields: [
        { name: 'people', label: 'People', type: 'int' },
        { name: 'outline', label: 'Outline', type: 'geo_shape' },
      ],
    });
    backend.onSearch = () => ({ aggregations: { groups: { buckets: [] } } });
    const app = createApp({
      config: { trustProxy: false, maxRequestBodyBytes: 1024 * 1024, analyzeCompilationsPerIdentityPer5m: 1, analyzeCompilationsPer5m: 10 },
      logger: createLogger('silent'),
      backend,
      registry: datasetRegistry(backend, 0),
    });
    const exprs = ['people + 1', 'people * 3', 'sqrt(people)'];
    const sources: string[] = [];
    for (const expr of exprs) {
      backend.calls.length = 0;
      await request(app).get(`/api/records/1.0/geopolygon/?dataset=districts&clusterprecision=3&y.s.func=SUM&y.s.expr=${encodeURIComponent(expr)}`).expect(200);
      const body = JSON.stringify(searches(backend)[0]);
      sources.push(/"source":"((?:[^"\\]|\\.)*)"/.exec(body)![1]!);
    }
    // The first shape compiles on its own; the two past the budget share one source (the interpreter).
    expect(sources[1]).toBe(sources[2]);
    expect(sources[0]).not.toBe(sources[1]);
  });
});
