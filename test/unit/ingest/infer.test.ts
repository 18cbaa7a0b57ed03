import { inferDescriptor } from '../../../src/ingest/infer';
import { DocumentBuilder } from '../../../src/ingest/document-builder';

const fieldsOf = (rows: Record<string, unknown>[]) =>
  inferDescriptor(rows, { datasetId: 'x' }).fields.map((f) => [f.name, f.type, (f.annotations ?? []).map((a) => (a.args ? `${a.name}:${a.args.join()}` : a.name)).join(' ')]);

describe('inferDescriptor', () => {
  it('infers scalar types from strings (CSV) and keeps codes as text', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      'Code INSEE': `0${i % 9}`,
      Population: String(1000 + i),
      Ratio: i % 2 ? '1.5' : '2',
      Decimal: '12,5',
      Day: `2012/01/${String((i % 28) + 1).padStart(2, '0')}`,
      Released: 'Jun 12 1998',
      At: `2012-01-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
      Mixed: i % 2 ? '2012-01-01' : '2012-01-01 10:00:00',
      Kind: i % 3 ? 'shop' : 'market',
      Name: `name ${i}`,
      Flag: i % 2 ? 'true' : 'false',
      Empty: '',
      Long: String(12345678901234567890n + BigInt(i)),
    }));
    expect(fieldsOf(rows)).toEqual([
      ['code_insee', 'text', 'facet'],
      ['population', 'int', ''],
      ['ratio', 'double', ''],
      ['decimal', 'double', ''],
      ['day', 'date', 'facet timeserie_precision:day'],
      ['released', 'date', 'facet timeserie_precision:day'],
      ['at', 'datetime', 'facet timeserie_precision:hour'],
      ['mixed', 'datetime', 'facet timeserie_precision:hour'],
      ['kind', 'text', 'facet'],
      ['name', 'text', ''],
      ['flag', 'text', 'facet'],
      ['empty', 'text', ''],
      ['long', 'text', ''],
    ]);
  });

  it('keeps the headers as labels and maps renamed columns explicitly', () => {
    const d = inferDescriptor([{ 'US Gross': 1, name: 'a', Name: 'b', recordid: 'r' }], { datasetId: 'x', format: 'csv', sourcePath: 'x.csv' });
    expect(d.fields.map((f) => [f.name, f.label])).toEqual([
      ['us_gross', 'US Gross'],
      ['name', 'name'],
      ['name_2', 'Name'],
      ['recordid_field', 'recordid'],
    ]);
    expect(d.source).toEqual({ format: 'csv', path: 'x.csv', columns: { name_2: 'Name', recordid_field: 'recordid' } });
    expect(d.extra_metas).toEqual({ visualization: {} });
    // the inferred descriptor reads the rows it was inferred from
    const b = new DocumentBuilder(d, { recordTimestamp: '2026-01-01T00:00:00Z' });
    const r = b.build({ 'US Gross': 1, name: 'a', Name: 'b', recordid: 'r' });
    expect(r.ok && r.doc.fields).toEqual({ us_gross: 1, name: 'a', name_2: 'b', recordid_field: 'r' });
  });

  it('turns a lat/lon pair of numeric columns into one geo_point_2d', () => {
    const rows = [
      { name: 'a', Latitude: '48.85', Lng: '2.35' },
      { name: 'b', Latitude: '45.1', Lng: '-1.5' },
    ];
    const d = inferDescriptor(rows, { datasetId: 'x' });
    expect(d.fields.map((f) => [f.name, f.type])).toEqual([
      ['name', 'text'],
      ['geo_point_2d', 'geo_point_2d'],
    ]);
    expect(d.source).toEqual({ columns: { geo_point_2d: ['Latitude', 'Lng'] } });
    const r = new DocumentBuilder(d, { recordTimestamp: 't' }).build(rows[1] as Record<string, unknown>);
    expect(r.ok && r.doc.fields).toEqual({ name: 'b', geo_point_2d: { lat: 45.1, lon: -1.5 } });
  });

  it('recognises "lat,lon" strings, {lat, lon} objects and GeoJSON points', () => {
    expect(fieldsOf([{ p: '48.85,2.35', q: { lat: 1, lon: 2 }, geometry: { type: 'Point', coordinates: [1, 2] } }])).toEqual([
      ['geo_point_2d', 'geo_point_2d', ''],
      ['q', 'geo_point_2d', ''],
      ['geometry_field', 'geo_point_2d', ''],
    ]);
  });

  it('makes GeoJSON shapes a geo_shape with a computed geo_point_2d', () => {
    const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    const d = inferDescriptor([{ name: 'a', geometry: square }, { name: 'b', geometry: { type: 'Point', coordinates: [1, 2] } }], { datasetId: 'x' });
    expect(d.fields.map((f) => [f.name, f.type])).toEqual([
      ['name', 'text'],
      ['geo_shape', 'geo_shape'],
      ['geo_point_2d', 'geo_point_2d'],
    ]);
    expect(d.source).toEqual({ columns: { geo_shape: 'geometry' } });
    const r = new DocumentBuilder(d, { recordTimestamp: 't' }).build({ name: 'a', geometry: square });
    expect(r.ok && r.doc.fields).toEqual({ name: 'a', geo_shape: square, geo_point_2d: { lat: 0.5, lon: 0.5 } });
  });

  it('infers from JSON values and Parquet values', () => {
    expect(fieldsOf([{ n: 1, d: 1.5, b: BigInt(3), t: new Date(0), tags: ['a', 'b'], o: { k: 1 } }])).toEqual([
      ['n', 'int', ''],
      ['d', 'double', ''],
      ['b', 'int', ''],
      ['t', 'datetime', 'facet timeserie_precision:hour'],
      ['tags', 'text', 'multivalued:,'],
      ['o', 'text', ''],
    ]);
  });
});
