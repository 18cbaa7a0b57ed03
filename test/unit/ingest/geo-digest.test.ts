import { shapeDigest, shapeLength } from '../../../src/ingest/geo-digest';

describe('shapeDigest', () => {
  const a = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
  it('is 16 hex digits, the same for the same shape and different for another', () => {
    expect(shapeDigest(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(shapeDigest(JSON.parse(JSON.stringify(a)))).toBe(shapeDigest(a));
    expect(shapeDigest({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 2], [0, 0]]] })).not.toBe(shapeDigest(a));
  });
});

describe('shapeLength', () => {
  it.each([
    ['a point', { type: 'Point', coordinates: [1, 2] }, 0],
    ['a line of two 3-4-5 segments', { type: 'LineString', coordinates: [[0, 0], [3, 4], [6, 8]] }, 10],
    ['a polygon with a hole: both rings', { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]] }, 20],
    ['a multipolygon', { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[5, 5], [7, 5], [7, 7], [5, 7], [5, 5]]]] }, 12],
    ['a collection', { type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[0, 0], [0, 2]] }, { type: 'Point', coordinates: [0, 0] }] }, 2],
  ])('%s', (_name, g, expected) => {
    expect(shapeLength(g)).toBeCloseTo(expected, 12);
  });
});
