import fc from 'fast-check';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import { boundingBoxBody, boundingBoxResponse, boundingBoxTarget } from '../../../src/geocluster/boundingbox';
import { convexHull, envelope, type LonLat } from '../../../src/geocluster/hull';

/** Signed area (shoelace) of a closed ring: negative = clockwise. */
const signedArea = (ring: LonLat[]) => ring.slice(0, -1).reduce((a, p, i) => a + (p[0] * ring[i + 1]![1] - ring[i + 1]![0] * p[1]), 0) / 2;

describe('cluster envelope (JTS ConvexHull conventions)', () => {
  it('one distinct point, even repeated: a Point', () => {
    expect(envelope([[1, 2], [1, 2]])).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(envelope([])).toBeUndefined();
  });

  it('two points, or collinear ones: a LineString between the extremes, lowest first', () => {
    expect(envelope([[5, 5], [1, 2]])).toEqual({ type: 'LineString', coordinates: [[1, 2], [5, 5]] });
    expect(envelope([[0, 0], [2, 2], [1, 1], [3, 3]])).toEqual({ type: 'LineString', coordinates: [[0, 0], [3, 3]] });
  });

  it('a polygon: clockwise, from the lowest latitude (then longitude), closed, without inner or collinear points', () => {
    const g = envelope([[0, 0], [2, 0], [2, 2], [0, 2], [1, 1], [1, 0], [0, 1]]);
    expect(g).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]] });
    if (g?.type !== 'Polygon') throw new Error('polygon expected');
    expect(signedArea(g.coordinates[0]!)).toBeLessThan(0);
  });

  it('starts at the minimum latitude, not the minimum longitude', () => {
    const g = envelope([[-10, 5], [3, -1], [8, 6], [0, 9]]);
    expect(g).toEqual({ type: 'Polygon', coordinates: [[[3, -1], [-10, 5], [0, 9], [8, 6], [3, -1]]] });
  });

  it('the hull of random points contains them all', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 10;
    const pts: LonLat[] = Array.from({ length: 300 }, () => [rnd(), rnd()]);
    const hull = convexHull(pts);
    const cross = (o: LonLat, a: LonLat, b: LonLat) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    for (const p of pts) for (let i = 0; i < hull.length; i++) expect(cross(hull[i]!, hull[(i + 1) % hull.length]!, p)).toBeGreaterThanOrEqual(0);
  });
});

describe('boundingbox', () => {
  const points = parseDescriptor({ datasetid: 'p', metas: { title: 'P' }, fields: [{ name: 'geo', label: 'G', type: 'geo_point_2d' }] });
  const shapes = parseDescriptor({
    datasetid: 's',
    metas: { title: 'S' },
    fields: [
      { name: 'centroid', label: 'C', type: 'geo_point_2d' },
      { name: 'shape', label: 'S', type: 'geo_shape' },
    ],
  });

  it('measures shapes when there are some, else points', () => {
    expect(boundingBoxTarget(points, { fields: points.fields })).toEqual({ path: 'fields.geo' });
    expect(boundingBoxTarget(shapes, { fields: shapes.fields })).toEqual({ path: 'fields.shape', typePath: '__geo_type.shape' });
    expect(boundingBoxTarget(shapes, { fields: shapes.fields, hidden: new Set(['shape']) })).toEqual({ path: 'fields.centroid' });
    expect(boundingBoxBody({ path: 'fields.shape', typePath: '__geo_type.shape' }, { match_all: {} })).toEqual({
      size: 0,
      track_total_hits: true,
      query: { bool: { must: [{ match_all: {} }], filter: [{ exists: { field: 'fields.shape' } }] } },
      aggs: {
        bbox: { geo_bounds: { field: 'fields.shape', wrap_longitude: false } },
        types: { terms: { field: '__geo_type.shape', size: 20 } },
      },
    });
  });

  it('shapes the v1 answer: [minLon, minLat, maxLon, maxLat] and GeoJSON type names', () => {
    const res = {
      hits: { total: { value: 7 } },
      aggregations: {
        bbox: { bounds: { top_left: { lat: 51, lon: -5 }, bottom_right: { lat: 41, lon: 9 } } },
        types: { buckets: [{ key: 'multipolygon', doc_count: 4 }, { key: 'polygon', doc_count: 3 }] },
      },
    };
    expect(boundingBoxResponse({ path: 'fields.shape', typePath: '__geo_type.shape' }, res)).toEqual({
      count: 7,
      bbox: [-5, 41, 9, 51],
      geometries: { MultiPolygon: 4, Polygon: 3 },
    });
    expect(boundingBoxResponse({ path: 'fields.geo' }, { hits: { total: { value: 2 } }, aggregations: res.aggregations })).toEqual({
      count: 2,
      bbox: [-5, 41, 9, 51],
      geometries: { Point: 2 },
    });
    expect(boundingBoxResponse({ path: 'fields.geo' }, { hits: { total: { value: 0 } }, aggregations: { bbox: {} } })).toEqual({ count: 0, bbox: [], geometries: {} });
  });
});

describe('envelope: properties on random point sets', () => {
  // small integer grids make duplicates and collinear points frequent
  const point = fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 })).map(([x, y]) => [x / 2, y / 2] as LonLat);
  const cross = (o: LonLat, a: LonLat, b: LonLat) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

  it('holds every point, is made of input points, and does not depend on order or duplicates', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 40 }), fc.integer(), (points, seed) => {
        const g = envelope(points)!;
        const key = (p: LonLat) => `${p[0]},${p[1]}`;
        const input = new Set(points.map(key));
        const vertices = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.coordinates[0]!;
        for (const v of vertices) expect(input.has(key(v))).toBe(true);
        if (g.type === 'Polygon') {
          const ring = g.coordinates[0]!;
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          // clockwise: every point is on the right of (or on) each edge
          for (let i = 0; i + 1 < ring.length; i++) for (const p of points) expect(cross(ring[i]!, ring[i + 1]!, p)).toBeLessThanOrEqual(0);
        }
        if (g.type === 'Point') expect(input.size).toBe(1);
        // shuffled and with every point twice: the same envelope
        const shuffled = [...points, ...points].map((p, i) => ({ p, k: (i * 7919 + seed) % 101 })).sort((a, b) => a.k - b.k).map((x) => x.p);
        expect(envelope(shuffled)).toEqual(g);
      }),
      { numRuns: 2000 },
    );
  });
});
