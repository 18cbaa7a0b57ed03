import { centroid } from '../../../src/ingest/centroid';

const ring = (...pts: [number, number][]): number[][] => [...pts, pts[0] as [number, number]];

describe('centroid (area-weighted, like JTS getCentroid)', () => {
  it('is the centre of a square, whatever the winding', () => {
    expect(centroid({ type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [2, 2], [0, 2])] })).toEqual({ lat: 1, lon: 1 });
    expect(centroid({ type: 'Polygon', coordinates: [ring([0, 0], [0, 2], [2, 2], [2, 0])] })).toEqual({ lat: 1, lon: 1 });
  });

  it('weights by area, not by vertex count (an L shape)', () => {
    // L = 2x1 bar (centroid 1, 0.5, area 2) + 1x1 square on top-left (centroid 0.5, 1.5, area 1)
    const c = centroid({ type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2])] });
    expect(c?.lon).toBeCloseTo((2 * 1 + 1 * 0.5) / 3, 12);
    expect(c?.lat).toBeCloseTo((2 * 0.5 + 1 * 1.5) / 3, 12);
    // the vertex mean would be (1, 1) minus the closing point: not what we compute
  });

  it('subtracts holes', () => {
    const c = centroid({ type: 'Polygon', coordinates: [ring([0, 0], [4, 0], [4, 4], [0, 4]), ring([2, 0], [4, 0], [4, 4], [2, 4])] });
    expect(c?.lon).toBeCloseTo(1, 12);
    expect(c?.lat).toBeCloseTo(2, 12);
  });

  it('weights the polygons of a multipolygon by their areas', () => {
    const c = centroid({
      type: 'MultiPolygon',
      coordinates: [[ring([0, 0], [1, 0], [1, 1], [0, 1])], [ring([10, 0], [13, 0], [13, 3], [10, 3])]],
    });
    // areas 1 and 9, centres (0.5, 0.5) and (11.5, 1.5)
    expect(c?.lon).toBeCloseTo((0.5 + 9 * 11.5) / 10, 12);
    expect(c?.lat).toBeCloseTo((0.5 + 9 * 1.5) / 10, 12);
  });

  it('uses lines weighted by length when there is no area, and points last', () => {
    expect(centroid({ type: 'LineString', coordinates: [[0, 0], [2, 0], [2, 1]] })).toEqual({ lat: 1 / 6, lon: (2 * 1 + 1 * 2) / 3 });
    expect(centroid({ type: 'MultiPoint', coordinates: [[0, 0], [2, 4]] })).toEqual({ lat: 2, lon: 1 });
    expect(centroid({ type: 'Point', coordinates: [3, 4] })).toEqual({ lat: 4, lon: 3 });
  });

  it('uses the highest dimension of a collection', () => {
    const c = centroid({
      type: 'GeometryCollection',
      geometries: [{ type: 'Point', coordinates: [100, 50] }, { type: 'Polygon', coordinates: [ring([0, 0], [2, 0], [2, 2], [0, 2])] }],
    });
    expect(c).toEqual({ lat: 1, lon: 1 });
  });

  it('stays near a shape that straddles the antimeridian', () => {
    // 179..180 and -180..-179, equal areas: the centroid is on the antimeridian, not at lon 0
    const c = centroid({
      type: 'MultiPolygon',
      coordinates: [[ring([179, 0], [180, 0], [180, 1], [179, 1])], [ring([-180, 0], [-179, 0], [-179, 1], [-180, 1])]],
    });
    expect(Math.abs(c?.lon ?? 0)).toBeCloseTo(180, 9);
    expect(c?.lat).toBeCloseTo(0.5, 12);
  });

  it('is precise for small polygons far from the origin', () => {
    const d = 1e-6;
    const c = centroid({ type: 'Polygon', coordinates: [ring([150, -30], [150 + d, -30], [150 + d, -30 + d], [150, -30 + d])] });
    expect(c?.lon).toBeCloseTo(150 + d / 2, 10);
    expect(c?.lat).toBeCloseTo(-30 + d / 2, 10);
  });
});
