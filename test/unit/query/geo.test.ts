/**
 * The geo helpers other modules reuse (geofilter.distance / geofilter.polygon): parsing
 * coordinates as v1 writes them, and making a GeoJSON ring of a polygon.
 */
import { closeAndOrientRing, parseLatLon, parseLatLonDistance, parsePolygon } from '../../../src/query';

describe('parseLatLon', () => {
  it.each<[string, { lat: number; lon: number }]>([
    ['48.85,2.35', { lat: 48.85, lon: 2.35 }],
    [' 48.85 , 2.35 ', { lat: 48.85, lon: 2.35 }],
    ['+44.84, -0.57', { lat: 44.84, lon: -0.57 }],
    ['-90,180', { lat: -90, lon: 180 }],
    ['0,0', { lat: 0, lon: 0 }],
  ])('%j', (text, value) => {
    expect(parseLatLon(text)).toEqual({ ok: true, value });
  });

  it.each<[string, string, number]>([
    ['48.85', 'expected "latitude, longitude" in decimal degrees, e.g. "48.85, 2.35"', 5],
    ['a,b', 'expected "latitude, longitude" in decimal degrees, e.g. "48.85, 2.35"', 0],
    ['1,2,3', 'expected "latitude, longitude" in decimal degrees, e.g. "48.85, 2.35"', 3],
    ['91,0', 'latitude 91 is out of range (-90 to 90)', 0],
    ['0,-180.5', 'longitude -180.5 is out of range (-180 to 180)', 0],
  ])('refuses %j', (text, problem, offset) => {
    expect(parseLatLon(text)).toEqual({ ok: false, problem, offset });
  });
});

describe('parseLatLonDistance', () => {
  it.each<[string, unknown]>([
    ['48.85,2.35,1000', { lat: 48.85, lon: 2.35, meters: 1000 }],
    ['48.85, 2.35, 12.5', { lat: 48.85, lon: 2.35, meters: 12.5 }],
    [' 48.85 ,2.35 ', { lat: 48.85, lon: 2.35, meters: null }],
  ])('%j', (text, value) => {
    expect(parseLatLonDistance(text)).toEqual({ ok: true, value });
  });

  it('refuses a negative radius', () => {
    expect(parseLatLonDistance('1,2,-5')).toEqual({ ok: false, problem: 'the distance -5 must be a positive number of meters', offset: 0 });
  });
});

describe('parsePolygon', () => {
  it('reads (lat,lon) pairs, with or without commas and spaces between them', () => {
    const value = [
      { lat: 48, lon: 2 },
      { lat: 49, lon: 2 },
      { lat: 49, lon: 3 },
    ];
    expect(parsePolygon('(48,2),(49,2),(49,3)')).toEqual({ ok: true, value });
    expect(parsePolygon(' (48, 2), (49 ,2) (49,3) ')).toEqual({ ok: true, value });
    // a closing repeat of the first point and consecutive duplicates are dropped
    expect(parsePolygon('(48,2),(49,2),(49,2),(49,3),(48,2)')).toEqual({ ok: true, value });
  });

  it.each<[string, string, number]>([
    ['(1,1),(2,2)', 'a polygon needs at least 3 distinct points', 0],
    ['(0,0),(1,1),(2,2)', 'the polygon has no area (its points are aligned)', 0],
    ['(0,0),(0,2),(1,0),(1,1)', "the polygon's edges 2 and 4 cross each other", 0],
    ['(0,0),(0,1),(91,1)', 'latitude 91 is out of range (-90 to 90)', 13],
    ['(0,0),(0,1)(1', 'expected a polygon as "(lat,lon),(lat,lon),(lat,lon),..."', 13],
    ['', 'expected a polygon as "(lat,lon),(lat,lon),(lat,lon),..."', 0],
  ])('refuses %j', (text, problem, offset) => {
    expect(parsePolygon(text)).toEqual({ ok: false, problem, offset });
  });

  it('limits the number of points', () => {
    const text = Array.from({ length: 5 }, (_, i) => `(${i},${i * i})`).join(',');
    expect(parsePolygon(text, 4)).toEqual({ ok: false, problem: 'the polygon has 5 points; at most 4 are allowed', offset: 0 });
  });
});

describe('closeAndOrientRing', () => {
  it('swaps to [lon, lat], closes the ring and keeps a counter-clockwise one as it is', () => {
    expect(closeAndOrientRing([{ lat: 0, lon: 0 }, { lat: 0, lon: 1 }, { lat: 1, lon: 1 }])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]]);
  });

  it('reverses a clockwise ring', () => {
    expect(closeAndOrientRing([{ lat: 48, lon: 2 }, { lat: 49, lon: 2 }, { lat: 49, lon: 3 }])).toEqual([[3, 49], [2, 49], [2, 48], [3, 49]]);
  });

  it('does not close twice a ring given closed', () => {
    expect(closeAndOrientRing([{ lat: 0, lon: 0 }, { lat: 0, lon: 1 }, { lat: 1, lon: 1 }, { lat: 0, lon: 0 }])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]]);
  });
});
