import request from 'supertest';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';

function setup() {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor);
  backend.addDataset({ datasetid: 'nogeo', metas: { title: 'No geo' }, fields: [{ name: 'name', label: 'Name', type: 'text' }] });
  return { backend, app: buildApp(backend) };
}
const searches = (backend: ReturnType<typeof fakeBackend>) => backend.calls.filter((c) => c.method === 'searchRecords');

describe('GET /api/records/1.0/geocluster', () => {
  it('pages the composite grid, merges cells and answers the v1 shape', async () => {
    const { app, backend } = setup();
    const cell = (key: string, lat: number, lon: number, count: number) => ({
      key: { cell: key },
      doc_count: count,
      c: { location: { lat, lon }, count },
      sub: { buckets: [{ key: 'x', doc_count: count, b: { bounds: { top_left: { lat, lon }, bottom_right: { lat, lon } } } }] },
      y0: { count, sum: 10 * count, min: 10, max: 10, sum_of_squares: 100 * count },
    });
    const pages = [
      { aggregations: { cells: { buckets: [cell('6/1/1', 48.85, 2.35, 2)], after_key: { cell: '6/1/1' } } } },
      { aggregations: { cells: { buckets: [] } } },
    ];
    // one page of 10 000 cells at most: a short page ends the paging
    backend.onSearch = () => pages.shift()!;
    const res = await request(app)
      .get('/api/records/1.0/geocluster/?clusterdistance=50&clusterprecision=4&geofilter.bbox=33.65,-46.23,57.66,56.25&return_polygons=true&dataset=cities&timezone=UTC&y.serie1.func=AVG&y.serie1.expr=population')
      .expect(200);
    expect(res.body).toEqual({
      clusters: [{ cluster_center: [48.85, 2.35], count: 2, series: { serie1: 10 }, cluster: { type: 'Point', coordinates: [2.35, 48.85] } }],
      count: { max: 2, min: 2 },
      series: { serie1: { max: 10, min: 10 } },
      clusterprecision: 4,
    });
    expect(searches(backend)).toHaveLength(1);
    const body = searches(backend)[0]!.args[1] as { query: unknown; aggs: { cells: { composite: { sources: unknown } } } };
    expect(JSON.stringify(body.query)).toContain('geo_bounding_box');
    expect(body.aggs.cells.composite.sources).toEqual([{ cell: { geotile_grid: { field: 'fields.geo', precision: 7 } } }]);
  });

  it.each([
    ['dataset=cities', 'clusterprecision'],
    ['dataset=cities&clusterprecision=40', 'clusterprecision'],
    ['dataset=cities&clusterprecision=20&shapeprecision=10', 'shapeprecision'],
    ['dataset=cities&clusterprecision=3&clusterdistance=-5', 'clusterdistance'],
    ['dataset=cities&clusterprecision=3&clustermode=dots', 'clustermode'],
    ['dataset=cities&clusterprecision=3&y.s.func=SUM&y.s.expr=nope', 'y.s.expr'],
    ['dataset=cities&clusterprecision=3&return_polygons=perhaps', 'return_polygons'],
    ['dataset=nogeo&clusterprecision=3', 'dataset'],
  ])('%s → 400 naming %s, before any search', async (qs, parameter) => {
    const { app, backend } = setup();
    const res = await request(app).get(`/api/records/1.0/geocluster?${qs}`).expect(400);
    expect(res.body.parameter).toBe(parameter);
    expect(searches(backend)).toHaveLength(0);
  });
});

describe('GET /api/records/1.0/boundingbox', () => {
  it('answers count, bbox and geometries (dataset alias too)', async () => {
    const { app, backend } = setup();
    backend.onSearch = () => ({
      hits: { total: { value: 3 } },
      aggregations: { bbox: { bounds: { top_left: { lat: 50, lon: -4 }, bottom_right: { lat: 43, lon: 7 } } } },
    });
    const res = await request(app).get('/api/records/1.0/boundingbox/?dataset=cities').expect(200);
    expect(res.body).toEqual({ count: 3, bbox: [-4, 43, 7, 50], geometries: { Point: 3 } });
    await request(app).get('/api/datasets/1.0/cities/records/boundingbox/?geofilter.bbox=40,-5,51,8').expect(200);
    const body = searches(backend)[1]!.args[1] as { query: { bool: { filter: unknown[] } } };
    expect(body.query.bool.filter).toEqual([{ exists: { field: 'fields.geo' } }]);
  });

  it('a dataset without geometry: 400', async () => {
    const { app } = setup();
    expect((await request(app).get('/api/records/1.0/boundingbox/?dataset=nogeo').expect(400)).body.parameter).toBe('dataset');
  });
});
