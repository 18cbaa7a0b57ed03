import { repairAntimeridian } from '../../../src/ingest/samples/antimeridian';
import { toGeoShape } from '../../../src/ingest/geo';

describe('repairAntimeridian (sample preparation)', () => {
  it('cuts a ring that jumps across ±180 into two polygons', () => {
    // like Fiji in countries-110m: -180 → -179.5 → -180 → 179.5 → 180 → -180
    const g = repairAntimeridian({
      type: 'Polygon',
      coordinates: [[[-180, -16], [-179.5, -16.2], [-180, -16.5], [179.5, -16.8], [180, -16], [-180, -16]]],
    });
    expect(g.type).toBe('MultiPolygon');
    const polys = g.coordinates as number[][][][];
    expect(polys).toHaveLength(2);
    for (const p of polys) {
      const lons = (p[0] as number[][]).map((q) => q[0] as number);
      expect(Math.max(...lons) - Math.min(...lons)).toBeLessThan(1);
      expect(() => toGeoShape({ type: 'Polygon', coordinates: p })).not.toThrow();
    }
  });

  it('closes a ring around the South Pole through the pole, counter-clockwise', () => {
    const g = repairAntimeridian({
      type: 'Polygon',
      coordinates: [[[-180, -80], [-90, -75], [0, -70], [90, -75], [180, -80], [-180, -80]]],
    });
    expect(g).toEqual({
      type: 'Polygon',
      coordinates: [[[-180, -80], [-180, -90], [180, -90], [180, -80], [90, -75], [0, -70], [-90, -75], [-180, -80]]],
    });
  });

  it('drops degenerate rings and repeated points, and leaves normal shapes alone', () => {
    const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(
      repairAntimeridian({ type: 'MultiPolygon', coordinates: [[[[5, 5], [5, 5], [5, 5], [5, 5]]], [[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]] }),
    ).toEqual({ type: 'Polygon', coordinates: [square] });
    expect(repairAntimeridian({ type: 'Polygon', coordinates: [square] })).toEqual({ type: 'Polygon', coordinates: [square] });
    expect(repairAntimeridian({ type: 'Point', coordinates: [1, 2] })).toEqual({ type: 'Point', coordinates: [1, 2] });
  });
});
