import { geoTypeOf, toGeoPoint, toGeoShape } from '../../../src/ingest/geo';
import { ValueError } from '../../../src/ingest/values';

describe('toGeoPoint', () => {
  it.each([
    ['48.85,2.35', { lat: 48.85, lon: 2.35 }],
    [' 48.85 , 2.35 ', { lat: 48.85, lon: 2.35 }],
    ['[48.85, 2.35]', { lat: 48.85, lon: 2.35 }],
    [[48.85, 2.35], { lat: 48.85, lon: 2.35 }], // the v1 order: [lat, lon]
    [['48.85', '2.35'], { lat: 48.85, lon: 2.35 }],
    [{ lat: 48.85, lon: 2.35 }, { lat: 48.85, lon: 2.35 }],
    [{ lat: 48.85, lng: 2.35 }, { lat: 48.85, lon: 2.35 }],
    [{ latitude: 48.85, longitude: 2.35 }, { lat: 48.85, lon: 2.35 }],
    [{ type: 'Point', coordinates: [2.35, 48.85] }, { lat: 48.85, lon: 2.35 }],
    ['{"type":"Point","coordinates":[2.35,48.85]}', { lat: 48.85, lon: 2.35 }],
    [{ type: 'Feature', geometry: { type: 'Point', coordinates: [2.35, 48.85] }, properties: {} }, { lat: 48.85, lon: 2.35 }],
    [{ type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] }, { lat: 1, lon: 1 }],
    ['', undefined],
    [null, undefined],
  ])('%j → %j', (input, expected) => {
    expect(toGeoPoint(input)).toEqual(expected);
  });
  it.each([
    ['91,0', /latitude 91 is outside/],
    ['0,181', /longitude 181 is outside/],
    [[1, 2, 3], /expected a geo point/],
    ['paris', /expected a geo point/],
    [['', '2'], /expected a geo point/],
    [{ lat: 'x', lon: 1 }, /expected a geo point/],
    [{ type: 'Point', coordinates: [200, 0] }, /longitude 200/],
  ])('rejects %j', (input, message) => {
    expect(() => toGeoPoint(input)).toThrow(message);
  });
});

describe('toGeoShape', () => {
  const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
  it('keeps a valid geometry (type and coordinates only)', () => {
    expect(toGeoShape({ ...square, bbox: [0, 0, 1, 1] })).toEqual(square);
    expect(toGeoShape(JSON.stringify(square))).toEqual(square);
    expect(toGeoShape({ type: 'Feature', properties: {}, geometry: square })).toEqual(square);
    expect(toGeoShape({ type: 'Point', coordinates: [2, 48, 35] })).toEqual({ type: 'Point', coordinates: [2, 48, 35] });
    expect(toGeoShape('48,2')).toEqual({ type: 'Point', coordinates: [2, 48] });
    const gc = { type: 'GeometryCollection', geometries: [square, { type: 'LineString', coordinates: [[0, 0], [1, 1]] }] };
    expect(toGeoShape(gc)).toEqual(gc);
  });
  it.each([
    [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, /not closed/],
    [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, /at least 4 positions/],
    [{ type: 'LineString', coordinates: [[0, 0]] }, /at least 2 positions/],
    [{ type: 'Point', coordinates: [0] }, /invalid position/],
    [{ type: 'Point', coordinates: [0, 95] }, /latitude 95/],
    [{ type: 'MultiPolygon', coordinates: [] }, /non-empty/],
    [{ type: 'Circle', coordinates: [0, 0] }, /unknown GeoJSON geometry type "Circle"/],
    ['not a shape', /expected a GeoJSON geometry/],
  ])('rejects %j', (input, message) => {
    expect(() => toGeoShape(input)).toThrow(ValueError);
    expect(() => toGeoShape(input)).toThrow(message);
  });
  it('gives the lower-case type for __geo_type', () => {
    expect(geoTypeOf({ type: 'MultiPolygon', coordinates: [] })).toBe('multipolygon');
  });
});
