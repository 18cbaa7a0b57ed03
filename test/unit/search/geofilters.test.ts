import { geoFilters, haversineMeters, parseBbox } from '../../../src/search/geofilters';
import { parcels, shops } from './search-fixtures';

const none: { distance: string[]; polygon: string[]; bbox: string[] } = { distance: [], polygon: [], bbox: [] };
const geo = (o: Partial<typeof none>, d = shops) => geoFilters({ ...none, ...o }, d, { fields: d.fields });

describe('geofilter.distance', () => {
  it.each([
    ['48.85,2.35,1000', 48.85, 2.35, '1000m'],
    ['48.85, 2.35, 1000', 48.85, 2.35, '1000m'],
    ['+44.84, -0.57,3000', 44.84, -0.57, '3000m'],
    [' 48.85 ,2.35 ', 48.85, 2.35, '1m'], // no radius: points at that location
    ['48.85,2.35,12.5', 48.85, 2.35, '12.5m'],
  ])('%j → geo_distance on the point field', (raw, lat, lon, distance) => {
    const out = geo({ distance: [raw] });
    expect(out.clauses).toEqual([{ geo_distance: { distance, 'fields.geo': { lat, lon } } }]);
    expect(out.distance).toEqual({ lat, lon, path: 'fields.geo' });
  });

  it.each(['48.85', '91,2,10', '1,2,-5', 'a,b,c', '1,2,3,4'])('rejects %j with a 400 naming the parameter', (raw) => {
    expect(() => geo({ distance: [raw] })).toThrow(expect.objectContaining({ kind: 'bad_parameter', extra: { parameter: 'geofilter.distance' } }));
  });

  it('needs a geo field', () => {
    const flat = { ...shops, fields: shops.fields.filter((f) => f.type !== 'geo_point_2d') };
    expect(() => geo({ distance: ['1,2,3'] }, flat)).toThrow(/has no geographic field/);
  });
});

describe('geofilter.polygon', () => {
  const raw = '(48,2),(49,2),(49,3)'; // clockwise in (lon, lat)

  it('applies to the point field when there is no shape', () => {
    expect(geo({ polygon: [raw] }).clauses).toEqual([
      { geo_polygon: { 'fields.geo': { points: [{ lat: 48, lon: 2 }, { lat: 49, lon: 2 }, { lat: 49, lon: 3 }] } } },
    ]);
  });

  it('applies to the shape when the dataset has one, as a closed counter-clockwise ring', () => {
    expect(geo({ polygon: [raw] }, parcels).clauses).toEqual([
      {
        geo_shape: {
          'fields.outline': { shape: { type: 'polygon', coordinates: [[[3, 49], [2, 49], [2, 48], [3, 49]]] }, relation: 'intersects' },
        },
      },
    ]);
  });

  it('bounds the vertices of all the geofilter.polygon values of a request together (1000)', () => {
    const circle = (n: number, lat: number) =>
      Array.from({ length: n }, (_, i) => `(${(lat + Math.sin((2 * Math.PI * i) / n)).toFixed(5)},${(2 + Math.cos((2 * Math.PI * i) / n)).toFixed(5)})`).join(',');
    expect(geo({ polygon: [circle(500, 40), circle(500, 44)] }).clauses).toHaveLength(2);
    const e = (() => {
      try {
        geo({ polygon: [circle(600, 40), circle(600, 44)] });
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a 400');
    })();
    expect(e).toMatchObject({ kind: 'bad_parameter', extra: { parameter: 'geofilter.polygon' } });
    expect(e.message).toBe(
      'Invalid value for parameter "geofilter.polygon": the polygon has 600 points; at most 400 are allowed (1000 for all the geofilter.polygon values of a request)',
    );
    // Counted before parsing: 100 000 points are refused without reading them.
    expect(() => geo({ polygon: [circle(100_000, 40)] })).toThrow(/the polygon has 100000 points; at most 1000 are allowed/);
  });

  it('rejects a degenerate polygon', () => {
    expect(() => geo({ polygon: ['(1,1),(2,2)'] })).toThrow(expect.objectContaining({ extra: { parameter: 'geofilter.polygon' } }));
  });
});

describe('geofilter.bbox', () => {
  it.each([
    ['in range', '43,1,44,2', { top: 44, left: 1, bottom: 43, right: 2 }],
    ['Leaflet longitudes past 180 wrap', '-10,170,10,190', { top: 10, left: 170, bottom: -10, right: -170 }],
    ['past -180 too', '-10,-200,10,-170', { top: 10, left: 160, bottom: -10, right: -170 }],
    ['a box 360° wide or more covers every longitude', '-80,-250,80,300', { top: 80, left: -180, bottom: -80, right: 180 }],
    ['an east edge at exactly 180 stays east', '0,100,1,180', { top: 1, left: 100, bottom: 0, right: 180 }],
    ['latitudes are clamped', '-95,0,95,1', { top: 90, left: 0, bottom: -90, right: 1 }],
    ['spaces and + are tolerated', ' +43, 1 ,44,2', { top: 44, left: 1, bottom: 43, right: 2 }],
  ])('%s', (_what, raw, box) => {
    expect(parseBbox(raw)).toEqual(box);
  });

  it('builds geo_bounding_box on the point, an envelope on a shape-only dataset', () => {
    expect(geo({ bbox: ['43,1,44,2'] }).clauses).toEqual([
      { geo_bounding_box: { 'fields.geo': { top_left: { lat: 44, lon: 1 }, bottom_right: { lat: 43, lon: 2 } } } },
    ]);
    const shapeOnly = { ...parcels, fields: parcels.fields.filter((f) => f.type !== 'geo_point_2d') };
    expect(geo({ bbox: ['43,1,44,2'] }, shapeOnly).clauses).toEqual([
      { geo_shape: { 'fields.outline': { shape: { type: 'envelope', coordinates: [[1, 44], [2, 43]] }, relation: 'intersects' } } },
    ]);
  });

  it.each(['1,2,3', '44,1,43,2', 'x,1,2,3'])('rejects %j', (raw) => {
    expect(() => parseBbox(raw)).toThrow(expect.objectContaining({ extra: { parameter: 'geofilter.bbox' } }));
  });
});

describe('haversineMeters', () => {
  it('measures on the sphere OpenSearch uses', () => {
    // One degree of latitude on a 6371008.7714 m sphere.
    expect(haversineMeters(0, 0, 1, 0)).toBeCloseTo((6371008.7714 * Math.PI) / 180, 6);
    expect(haversineMeters(48.85, 2.35, 48.85, 2.35)).toBe(0);
  });
});
