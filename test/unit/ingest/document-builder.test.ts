import { parseDescriptor, type DatasetDescriptorInput } from '../../../src/datasets/descriptor';
import { DocumentBuilder } from '../../../src/ingest/document-builder';
import { canonicalJson, sha1Hex } from '../../../src/ingest/record-id';

const TS = '2026-11-27T10:15:00Z';
const build = (d: DatasetDescriptorInput, row: Record<string, unknown>) => new DocumentBuilder(parseDescriptor(d), { recordTimestamp: TS }).build(row);

const all: DatasetDescriptorInput = {
  datasetid: 'all',
  metas: { title: 'All types', timezone: 'Europe/Paris' },
  fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'tags', label: 'Tags', type: 'text', annotations: [{ name: 'multivalued', args: [';'] }] },
    { name: 'category', label: 'Category', type: 'text', annotations: [{ name: 'hierarchical', args: ['/'] }] },
    { name: 'count', label: 'Count', type: 'int' },
    { name: 'ratio', label: 'Ratio', type: 'double' },
    { name: 'day', label: 'Day', type: 'date' },
    { name: 'at', label: 'At', type: 'datetime' },
    { name: 'geo_point_2d', label: 'Point', type: 'geo_point_2d' },
    { name: 'outline', label: 'Outline', type: 'geo_shape' },
    { name: 'photo', label: 'Photo', type: 'file' },
  ],
};

const square = { type: 'Polygon', coordinates: [[[2, 48], [4, 48], [4, 50], [2, 50], [2, 48]]] };

describe('DocumentBuilder', () => {
  it('builds the stored document for every type', () => {
    const r = build(all, {
      name: 'Étoile',
      tags: 'a; b;;',
      category: 'Food/Bread/Rye',
      count: '12',
      ratio: '0.5',
      day: 'Jun 12 1998',
      at: '2020-01-01T10:00:00',
      geo_point_2d: '48.85,2.35',
      outline: square,
      photo: { id: 'abc', filename: 'photo.jpg', mimetype: 'image/jpeg' },
    });
    const fields = {
      name: 'Étoile',
      tags: ['a', 'b'],
      category: 'Food/Bread/Rye',
      count: 12,
      ratio: 0.5,
      day: '1998-06-12',
      at: '2020-01-01T10:00:00+01:00',
      geo_point_2d: { lat: 48.85, lon: 2.35 },
      outline: square,
      photo: { id: 'abc', filename: 'photo.jpg', mimetype: 'image/jpeg' },
    };
    expect(r).toEqual({
      ok: true,
      doc: {
        recordid: sha1Hex(canonicalJson(fields)),
        record_timestamp: TS,
        fields,
        __paths: { category: ['Food', 'Food/Bread', 'Food/Bread/Rye'] },
        __geo_type: { outline: 'polygon' },
        // the shape's key (first 64 bits of the SHA-1 of its JSON) and its perimeter in degrees (2+2+2+2)
        __geo_digest: { outline: sha1Hex(JSON.stringify(square)).slice(0, 16) },
        __geo_length: { outline: 8 },
      },
    });
  });

  it('leaves empty values out', () => {
    const r = build(all, { name: 'x', tags: '', count: null, day: '  ', outline: undefined });
    expect(r.ok && r.doc).toEqual({ recordid: expect.any(String), record_timestamp: TS, fields: { name: 'x' } });
  });

  it('computes geo_point_2d as the centroid of the shape when the row has none', () => {
    const r = build(all, { outline: square });
    expect(r.ok && r.doc.fields.geo_point_2d).toEqual({ lat: 49, lon: 3 });
    const given = build(all, { outline: square, geo_point_2d: '1,1' });
    expect(given.ok && given.doc.fields.geo_point_2d).toEqual({ lat: 1, lon: 1 });
  });

  it.each([
    [{ count: '12.5' }, 'field "count": expected an integer, got "12.5"'],
    [{ ratio: 'abc' }, 'field "ratio": expected a number, got "abc"'],
    [{ day: '2012-02-30' }, 'field "day": expected a date'],
    [{ at: 'soon' }, 'field "at": expected a date-time'],
    [{ geo_point_2d: '100,2' }, 'field "geo_point_2d": latitude 100 is outside [-90, 90]'],
    [{ outline: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] } }, 'field "outline": expected at least 4 positions'],
    [{ photo: 'photo.jpg' }, 'field "photo": expected a file object'],
    [{}, 'empty row'],
  ])('rejects %j', (row, reason) => {
    const r = build(all, row);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('gives the same recordid to the same content, whatever the column order', () => {
    const a = build(all, { name: 'x', count: 1 });
    const b = build(all, { count: '1', name: 'x' });
    expect(a.ok && b.ok && a.doc.recordid === b.doc.recordid).toBe(true);
    const c = build(all, { name: 'x', count: 2 });
    expect(c.ok && a.ok && c.doc.recordid !== a.doc.recordid).toBe(true);
  });

  describe('with id fields', () => {
    const withId: DatasetDescriptorInput = {
      datasetid: 'ids',
      metas: { title: 'Ids' },
      fields: [
        { name: 'code', label: 'Code', type: 'text', annotations: [{ name: 'id' }] },
        { name: 'value', label: 'Value', type: 'int' },
      ],
    };
    it('hashes only the id fields', () => {
      const a = build(withId, { code: 'A', value: 1 });
      const b = build(withId, { code: 'A', value: 2 });
      expect(a.ok && a.doc.recordid).toBe(sha1Hex('{"code":"A"}'));
      expect(b.ok && b.doc.recordid).toBe(sha1Hex('{"code":"A"}'));
    });
    it('rejects a row without id value', () => {
      expect(build(withId, { value: 1 })).toEqual({ ok: false, reason: 'no value for the id field code' });
    });
  });

  describe('source columns', () => {
    const d: DatasetDescriptorInput = {
      datasetid: 'cols',
      metas: { title: 'Cols' },
      fields: [
        { name: 'us_gross', label: 'US Gross', type: 'int' },
        { name: 'title', label: 'Film', type: 'text' },
        { name: 'depth', label: 'Depth', type: 'double' },
        { name: 'code', label: 'Code', type: 'text' },
        { name: 'geo_point_2d', label: 'Point', type: 'geo_point_2d' },
      ],
      source: { columns: { depth: 'geometry.coordinates.2', code: 'CODE_X' } },
    };
    it('matches columns by name, normalised name, label, explicit column and dotted path', () => {
      const b = new DocumentBuilder(parseDescriptor(d), { recordTimestamp: TS });
      const r = b.build({ 'US Gross': '10', Film: 'Up', CODE_X: 'c1', geometry: { type: 'Point', coordinates: [2, 48, 12.5] }, extra: 1, other: 2 });
      expect(r.ok && r.doc.fields).toEqual({ us_gross: 10, title: 'Up', depth: 12.5, code: 'c1', geo_point_2d: { lat: 48, lon: 2 } });
      expect(b.ignoredColumns()).toEqual(['extra', 'other']);
    });
    it('builds geo_point_2d from a lat/lon pair of columns', () => {
      const b = new DocumentBuilder(parseDescriptor(d), { recordTimestamp: TS });
      const r = b.build({ Latitude: '48.5', lng: '2.25' });
      expect(r.ok && r.doc.fields).toEqual({ geo_point_2d: { lat: 48.5, lon: 2.25 } });
      expect(b.build({ Latitude: '', lng: '' })).toEqual({ ok: false, reason: 'empty row: no value for any field' });
      const bad = b.build({ Latitude: '', lng: '2' });
      expect(!bad.ok && bad.reason).toBe('field "geo_point_2d" (column "Latitude+lng"): expected a geo point ("lat,lon", [lat, lon], {lat, lon} or a GeoJSON Point), got ["","2"]');
    });
    it('reads an explicit [lat, lon] pair', () => {
      const r = build({ ...d, source: { columns: { geo_point_2d: ['y', 'x'] } } }, { y: 1, x: 2 });
      expect(r.ok && r.doc.fields).toEqual({ geo_point_2d: { lat: 1, lon: 2 } });
    });
    it('lists every problem of source.columns', () => {
      expect(() => build({ ...d, source: { columns: { nope: 'a', us_gross: ['a', 'b'], title: 3 } } }, {})).toThrow(
        /source.columns.nope: no field of that name\n {2}source.columns.us_gross: a \[lat, lon\] pair of columns needs a geo_point_2d field\n {2}source.columns.title: expected a column name/,
      );
    });
  });

  it('rejects an unknown time zone at construction', () => {
    expect(() => build({ ...all, metas: { title: 'x', timezone: 'Mars/Base' } }, {})).toThrow(/unknown time zone "Mars\/Base"/);
  });
});
