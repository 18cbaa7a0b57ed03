/** Shapes crossing the antimeridian are drawn continuous (web/common/geometry.js). */
import { unwrapGeometry } from '../../../web/common/geometry.js';

describe('unwrapGeometry', () => {
  it.each([
    ['a ring within ±180 is unchanged', [[10, 0], [20, 0], [20, 10], [10, 0]], [[10, 0], [20, 0], [20, 10], [10, 0]]],
    ['a ring crossing the antimeridian eastwards continues past 180', [[170, 0], [-170, 0], [-170, 10], [170, 0]], [[170, 0], [190, 0], [190, 10], [170, 0]]],
    // Most of this ring lies west of the antimeridian though it starts east of it: it goes back.
    ['a ring that starts just east of the antimeridian stays where most of it lies', [[-175, 60], [175, 60], [100, 50], [40, 55], [175, 70], [-175, 60]], [[185, 60], [175, 60], [100, 50], [40, 55], [175, 70], [185, 60]]],
  ])('%s', (_name, ring, expected) => {
    expect(unwrapGeometry({ type: 'Polygon', coordinates: [ring] })).toEqual({ type: 'Polygon', coordinates: [expected] });
  });

  it('walks multipolygons and collections, and leaves points and null alone', () => {
    const crossing = [[170, 0], [-170, 0], [-170, 10], [170, 0]];
    const drawn = [[170, 0], [190, 0], [190, 10], [170, 0]];
    expect(unwrapGeometry({ type: 'MultiPolygon', coordinates: [[crossing]] })).toEqual({ type: 'MultiPolygon', coordinates: [[drawn]] });
    expect(unwrapGeometry({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [-170, 0] }, { type: 'LineString', coordinates: crossing }] })).toEqual({
      type: 'GeometryCollection',
      geometries: [{ type: 'Point', coordinates: [-170, 0] }, { type: 'LineString', coordinates: drawn }],
    });
    expect(unwrapGeometry(null)).toBeNull();
  });
});
