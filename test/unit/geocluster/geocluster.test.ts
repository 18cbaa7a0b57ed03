import { GatewayError } from '../../../src/errors';
import { requestParams } from '../../../src/http/params/request-params';
import { parseDescriptor, type DatasetDescriptor } from '../../../src/datasets/descriptor';
import { geoclusterBody, gridOf } from '../../../src/geocluster/build-geocluster-body';
import { type Cell, readCell } from '../../../src/geocluster/cells';
import { readGeoclusterRequest } from '../../../src/geocluster/geocluster-request';
import { cellPrecision, pageCells, shapeDepth } from '../../../src/geocluster/precision';
import { mergeCells } from '../../../src/geocluster/merge';
import { geoclusterResponse } from '../../../src/geocluster/shape-geocluster';
import { latToY, lonToX } from '../../../src/geocluster/mercator';
import { V1_DOC_KAMCHATKA_CLUSTER } from '../../fixtures/v1-doc-geocluster';

const cities: DatasetDescriptor = parseDescriptor({
  datasetid: 'cities',
  metas: { title: 'Cities' },
  fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'population', label: 'Population', type: 'int' },
    { name: 'location', label: 'Location', type: 'geo_point_2d' },
  ],
});
const request = (qs: string, d = cities) => readGeoclusterRequest(requestParams(`/g?${qs}`), d, { fields: d.fields });

/** The five Kamchatka cities of the v1 doc's geocluster example (clusterprecision=3, clusterdistance=50). */
const KAMCHATKA: [number, number][] = [
  [158.40468998998404, 52.93109998572618],
  [158.38134999386966, 53.18908997811377],
  [158.6206699255854, 54.69609996769577],
  [160.84540992043912, 56.32034998387098],
  [158.65075995214283, 53.0444399965927],
];
const pointCell = ([lon, lat]: [number, number], key: string, population = 0): Cell => ({
  key,
  count: 1,
  lat,
  lon,
  points: [[lon, lat]],
  stats: [{ kind: 'stats', count: 1, sum: population, min: population, max: population, sumOfSquares: population * population }],
});

describe('geocluster grid arithmetic', () => {
  it.each([
    [3, 50, 6],
    [4, 15, 9],
    [0, 256, 0],
    [29, 50, 29],
    [20, 1000, 19],
    [5, 0.5, 14],
  ])('zoom %p, radius %p px → cells at precision %p', (z, r, p) => {
    expect(cellPrecision(z, r)).toBe(p);
    // a cell is never wider than the radius (unless clamped at 0 or 29)
    if (p > 0 && p < 29) expect(256 / 2 ** (p - z)).toBeLessThanOrEqual(r);
  });

  it('shape depth is shapeprecision, capped at 3 and at zoom 29; pages fit the bucket budget', () => {
    expect(shapeDepth(6, 1)).toBe(1);
    expect(shapeDepth(6, 10)).toBe(3);
    expect(shapeDepth(28, 2)).toBe(1);
    for (const d of [0, 1, 2, 3]) expect(pageCells(d) * (1 + 4 ** d)).toBeLessThanOrEqual(60000);
    expect(pageCells(undefined)).toBe(10000);
  });

  it('mercator units: the world is [0,1]²', () => {
    expect(lonToX(-180)).toBe(0);
    expect(lonToX(180)).toBe(1);
    expect(latToY(0)).toBeCloseTo(0.5, 12);
    expect(latToY(89.9)).toBe(0);
  });
});

describe('geocluster request', () => {
  it('reads the parameters, defaults included', () => {
    expect(request('clusterprecision=4&y.avg.func=AVG&y.avg.expr=population')).toEqual({
      zoom: 4,
      radiusPx: 50,
      shapePrecision: 0,
      mode: 'polygon',
      polygons: true,
      series: [{ name: 'avg', func: 'AVG', cumulative: false, value: { kind: 'field', path: 'fields.population' } }],
      pointPath: 'fields.location',
    });
    expect(request('clusterprecision=4.7&clusterdistance=12.5&clustermode=heatmap')).toMatchObject({ zoom: 4, radiusPx: 12.5, mode: 'heatmap', polygons: false });
    expect(request('clusterprecision=4&return_polygons=false')).toMatchObject({ polygons: false });
  });

  it.each([
    ['', 'clusterprecision'],
    ['clusterprecision=30', 'clusterprecision'],
    ['clusterprecision=abc', 'clusterprecision'],
    ['clusterprecision=28&shapeprecision=2', 'shapeprecision'],
    ['clusterprecision=3&clusterdistance=0', 'clusterdistance'],
    ['clusterprecision=3&clustermode=world', 'clustermode'],
    ['clusterprecision=3&y.q.func=QUANTILES&y.q.expr=population', 'y.q.func'],
    ['clusterprecision=3&y.q.func=SUM&y.q.expr=name', 'y.q.expr'],
  ])('%j → 400 naming %s', (qs, parameter) => {
    let error: unknown;
    try {
      request(qs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    expect((error as GatewayError).extra.parameter).toBe(parameter);
  });

  it('a dataset without geo_point_2d answers 400', () => {
    const shapes = parseDescriptor({ datasetid: 'shapes', metas: { title: 'S' }, fields: [{ name: 'shape', label: 'S', type: 'geo_shape' }] });
    expect(() => request('clusterprecision=3', shapes)).toThrow(/no geo_point_2d/);
  });
});

describe('geocluster body', () => {
  it('a composite geotile grid with centroid, bounds, sub-tile bounds and series', () => {
    const req = request('clusterprecision=3&shapeprecision=1&y.avg.func=AVG&y.avg.expr=population');
    const grid = gridOf(req);
    expect(grid).toEqual({ precision: 6, depth: 1, pageSize: 10000 });
    expect(geoclusterBody(req, grid, { match_all: {} }, { cell: '6/1/2' })).toEqual({
      size: 0,
      track_total_hits: false,
      query: { match_all: {} },
      aggs: {
        cells: {
          composite: { size: 10000, after: { cell: '6/1/2' }, sources: [{ cell: { geotile_grid: { field: 'fields.location', precision: 6 } } }] },
          aggs: {
            c: { geo_centroid: { field: 'fields.location' } },
            b: { geo_bounds: { field: 'fields.location', wrap_longitude: false } },
            sub: {
              geotile_grid: { field: 'fields.location', precision: 7, size: 4 },
              aggs: { b: { geo_bounds: { field: 'fields.location', wrap_longitude: false } } },
            },
            y0: { extended_stats: { field: 'fields.population' } },
          },
        },
      },
    });
  });

  it('heatmap: no bounds at all; by default (shapeprecision=0): the cell bounds only', () => {
    const heat = request('clusterprecision=3&clustermode=heatmap');
    expect((geoclusterBody(heat, gridOf(heat), {}).aggs as { cells: { aggs: unknown } }).cells.aggs).toEqual({ c: { geo_centroid: { field: 'fields.location' } } });
    const flat = request('clusterprecision=3');
    expect((geoclusterBody(flat, gridOf(flat), {}).aggs as { cells: { aggs: unknown } }).cells.aggs).toEqual({
      c: { geo_centroid: { field: 'fields.location' } },
      b: { geo_bounds: { field: 'fields.location', wrap_longitude: false } },
    });
    expect(gridOf(request('clusterprecision=3&shapeprecision=3')).pageSize).toBe(923);
    expect(gridOf(heat).pageSize).toBe(10000);
  });

  it('reads a cell: centroid, sub-tile bounds corners (one point for a one-point sub-tile), its box, stats', () => {
    const req = request('clusterprecision=3&shapeprecision=1&y.s.func=SUM&y.s.expr=population');
    const cell = readCell(req, {
      key: { cell: '6/58/20' },
      doc_count: 3,
      c: { location: { lat: 53, lon: 158 }, count: 3 },
      b: { bounds: { top_left: { lat: 54, lon: 158 }, bottom_right: { lat: 53, lon: 159.5 } } },
      sub: {
        buckets: [
          { key: '7/1/1', doc_count: 1, b: { bounds: { top_left: { lat: 53, lon: 158 }, bottom_right: { lat: 53, lon: 158 } } } },
          { key: '7/1/2', doc_count: 2, b: { bounds: { top_left: { lat: 54, lon: 159 }, bottom_right: { lat: 53.5, lon: 159.5 } } } },
        ],
      },
      y0: { count: 3, sum: 30, min: 5, max: 15, sum_of_squares: 350 },
    });
    expect(cell).toEqual({
      key: '6/58/20',
      count: 3,
      lat: 53,
      lon: 158,
      points: [
        [158, 53],
        [159, 53.5],
        [159.5, 53.5],
        [159.5, 54],
        [159, 54],
      ],
      stats: [{ kind: 'stats', count: 3, sum: 30, min: 5, max: 15, sumOfSquares: 350 }],
      box: [158, 53, 159.5, 54],
    });
  });
});

describe('merging cells into clusters', () => {
  const req = request('clusterprecision=3&clusterdistance=50&y.avg_population.func=AVG&y.avg_population.expr=population');

  it('reproduces the v1 doc example: the center is the mean of the 5 points, the ring JTS-like', () => {
    const cells = KAMCHATKA.map((p, i) => pointCell(p, `9/${i}/0`, [10000, 20000, 30000, 100000, 111429][i]));
    const clusters = mergeCells(cells, 3, 50);
    expect(clusters).toHaveLength(1);
    const body = geoclusterResponse(req, clusters);
    expect(body.clusters[0]).toEqual(V1_DOC_KAMCHATKA_CLUSTER);
    expect(Object.keys(body)).toEqual(['clusters', 'count', 'series', 'clusterprecision']);
    expect(body.count).toEqual({ max: 5, min: 5 });
    expect(body.series).toEqual({ avg_population: { max: 54285.8, min: 54285.8 } });
  });

  it('is deterministic: the same clusters whatever the order of the cells', () => {
    const cells: Cell[] = [];
    for (let i = 0; i < 200; i++) {
      const lon = ((i * 37) % 360) - 180 + (i % 7) * 0.01;
      const lat = ((i * 53) % 160) - 80;
      cells.push({ ...pointCell([lon, lat], `6/${i}/${i % 5}`), count: 1 + (i % 4) });
    }
    const a = mergeCells(cells, 2, 60);
    const b = mergeCells([...cells].reverse(), 2, 60);
    const c = mergeCells([...cells].sort((x, y) => x.lat - y.lat), 2, 60);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a.reduce((n, cl) => n + cl.count, 0)).toBe(cells.reduce((n, cl) => n + cl.count, 0));
  });

  it('seeds with the densest cell and measures from the seed (no drift)', () => {
    // At zoom 10 a pixel is 360/(256·1024) degrees of longitude: cells 40 px apart in a row.
    const px = 360 / (256 * 2 ** 10);
    const row = [0, 40, 80].map((x, i) => ({ ...pointCell([x * px, 0], `k${i}`), count: i === 1 ? 5 : 1 }));
    const clusters = mergeCells(row, 10, 50);
    // the middle (densest) cell seeds and takes both neighbours (40 px each side)
    expect(clusters.map((c) => c.count)).toEqual([7]);
    const chained = [0, 40, 80].map((x, i) => ({ ...pointCell([x * px, 0], `k${i}`), count: 3 - i }));
    // the left cell seeds: it reaches 40 px, not 80; the rest forms its own cluster
    expect(mergeCells(chained, 10, 50).map((c) => c.cells)).toEqual([['k0', 'k1'], ['k2']]);
  });

  it('a count-weighted mean of cell centroids is the mean of all points', () => {
    const clusters = mergeCells(
      [
        { ...pointCell([10, 20], 'a'), count: 3 },
        { ...pointCell([10.001, 20.002], 'b'), count: 1 },
      ],
      0,
      50,
    );
    expect(clusters).toHaveLength(1);
    const [lat, lon] = geoclusterResponse(request('clusterprecision=0'), clusters).clusters[0]!.cluster_center;
    expect(lat).toBeCloseTo((3 * 20 + 20.002) / 4, 12);
    expect(lon).toBeCloseTo((3 * 10 + 10.001) / 4, 12);
  });

  it('one point: a Point; no cluster: count 0/0 and null series bounds; return_polygons=false: no cluster key', () => {
    const one = geoclusterResponse(req, mergeCells([pointCell([177.51029999926686, 64.73423996474594], 'x', 10332)], 3, 50));
    expect(one.clusters).toEqual([
      {
        cluster_center: [64.73423996474594, 177.51029999926686],
        count: 1,
        series: { avg_population: 10332 },
        cluster: { type: 'Point', coordinates: [177.51029999926686, 64.73423996474594] },
      },
    ]);
    expect(geoclusterResponse(req, [])).toEqual({ clusters: [], count: { max: 0, min: 0 }, series: { avg_population: { max: null, min: null } }, clusterprecision: 3 });
    const bare = geoclusterResponse(request('clusterprecision=3&return_polygons=false'), mergeCells([pointCell([1, 2], 'x')], 3, 50));
    expect(bare).toEqual({ clusters: [{ cluster_center: [2, 1], count: 1 }], count: { max: 1, min: 1 }, clusterprecision: 3 });
  });
});

