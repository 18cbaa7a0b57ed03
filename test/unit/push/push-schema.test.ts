import { parseDescriptor } from '../../../src/datasets/descriptor';
import { PushSchema } from '../../../src/push/push-schema';
import type { FileInput } from '../../../src/push/file-input';
import { contentHash } from '../../../src/files/content-address';
import { recordIdOf } from '../../../src/ingest/record-id';

const sensors = parseDescriptor({
  datasetid: 'sensors',
  metas: { title: 'Sensors', timezone: 'UTC' },
  fields: [
    { name: 'station', label: 'Station', type: 'text', annotations: [{ name: 'id' }] },
    { name: 'value', label: 'Value', type: 'double' },
    { name: 'count', label: 'Count', type: 'int' },
    { name: 'at', label: 'At', type: 'datetime' },
    { name: 'geo', label: 'Geo', type: 'geo_point_2d' },
    { name: 'photo', label: 'Photo', type: 'file' },
  ],
  // a file's column mapping must not apply to pushes
  source: { columns: { geo: ['lat', 'lon'] } },
});

const describeFile = async (f: FileInput) => ({
  id: contentHash(f.content),
  size: f.content.length,
  mimetype: f.mimetype,
  filename: f.filename,
  created_at: '2026-01-01T00:00:00Z',
  image: null,
});

describe('push validation (pass 1: every problem, with its position and field)', () => {
  const schema = new PushSchema(sensors);

  it('accepts well-formed records and leaves file fields aside', () => {
    const r = schema.check([
      { station: 'A', value: '1.5', count: 3, at: '2024-01-01T10:00:00Z', geo: [48.8, 2.3] },
      { station: 'B', photo: { content: Buffer.from('hi').toString('base64'), 'content-type': 'text/plain' } },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.prepared[0]?.values).toEqual({ station: 'A', value: '1.5', count: 3, at: '2024-01-01T10:00:00Z', geo: [48.8, 2.3] });
    expect(r.prepared[1]?.files.get('photo')).toEqual({ content: Buffer.from('hi'), mimetype: 'text/plain', filename: 'photo.txt' });
  });

  it('reports unknown fields and wrong types of every record, and records that are not objects', () => {
    const r = schema.check([
      { station: 'A', value: 1 },
      { station: 'B', colour: 'red', count: 'three' },
      'not a record',
      { station: 'D', value: 'high', count: 1.5, at: 'yesterday', geo: '95,10', lat: 1 },
    ]);
    expect(r.problems).toEqual([
      { index: 1, field: 'colour', error: expect.stringMatching(/^unknown field "colour"; the fields of dataset sensors are: station, value, count, at, geo, photo$/) },
      { index: 1, field: 'count', error: 'expected an integer, got "three"' },
      { index: 2, error: 'expected a record: a JSON object of field names and values' },
      { index: 3, field: 'value', error: 'expected a number, got "high"' },
      { index: 3, field: 'count', error: 'expected an integer, got 1.5' },
      { index: 3, field: 'at', error: expect.stringMatching(/^expected a date-time/) },
      { index: 3, field: 'geo', error: expect.stringMatching(/^latitude 95 is outside/) },
      { index: 3, field: 'lat', error: expect.stringMatching(/^unknown field "lat"/) },
    ]);
  });

  it('treats null and empty values as absent', () => {
    expect(schema.check([{ station: 'A', value: null, count: '' }]).problems).toEqual([]);
  });

  it('checks file fields: content in base64 and a MIME type (content-type, or the pre-2017 content_type)', () => {
    const b64 = Buffer.from('x').toString('base64');
    const r = schema.check([
      { station: 'A', photo: { content: b64, content_type: 'image/png' } },
      { station: 'B', photo: { content: '***', 'content-type': 'image/png' } },
      { station: 'C', photo: { content: b64 } },
      { station: 'D', photo: 'cat.png' },
      { station: 'E', photo: { id: 'a'.repeat(64) } },
      { station: 'F', photo: { content: `data:image/gif;base64,${b64}` } },
    ]);
    expect(r.problems).toEqual([
      { index: 1, field: 'photo', error: '"content" is not valid base64' },
      { index: 2, field: 'photo', error: 'expected "content-type" (a MIME type such as "image/png")' },
      { index: 3, field: 'photo', error: expect.stringMatching(/^expected a file object/) },
      { index: 4, field: 'photo', error: expect.stringMatching(/not by id/) },
    ]);
    expect(r.prepared[0]?.files.get('photo')?.mimetype).toBe('image/png');
    expect(r.prepared[5]?.files.get('photo')).toEqual({ content: Buffer.from('x'), mimetype: 'image/gif', filename: 'photo.gif' });
  });
});

describe('push conversion (pass 2: the stored documents)', () => {
  const schema = new PushSchema(sensors);

  it('builds the same document and recordid as the ingest would, with the push time', async () => {
    const { prepared } = schema.check([{ station: 'A', value: '1.5', geo: '48.8,2.3' }]);
    const { built, problems } = await schema.build(prepared, describeFile, '2026-05-01T12:00:00.000Z');
    expect(problems).toEqual([]);
    expect(built[0]?.doc).toEqual({
      recordid: recordIdOf({ station: 'A' }, ['station']),
      record_timestamp: '2026-05-01T12:00:00.000Z',
      fields: { station: 'A', value: 1.5, geo: { lat: 48.8, lon: 2.3 } },
    });
  });

  it('gives records with the same id fields the same recordid (an upsert)', async () => {
    const { prepared } = schema.check([{ station: 'A', value: 1 }, { station: 'A', value: 2 }, { station: 'B', value: 1 }]);
    const { built } = await schema.build(prepared, describeFile, '2026-05-01T12:00:00Z');
    expect(built[0]?.doc.recordid).toBe(built[1]?.doc.recordid);
    expect(built[2]?.doc.recordid).not.toBe(built[0]?.doc.recordid);
  });

  it('turns file inputs into v1 file objects', async () => {
    const { prepared } = schema.check([{ station: 'A', photo: { content: Buffer.from('pdf').toString('base64'), 'content-type': 'application/pdf', filename: 'dir/r.pdf' } }]);
    const { built } = await schema.build(prepared, describeFile, '2026-05-01T12:00:00Z');
    expect(built[0]?.doc.fields.photo).toEqual({ id: contentHash(Buffer.from('pdf')), filename: 'r.pdf', mimetype: 'application/pdf', thumbnail: false });
    expect(built[0]?.files).toHaveLength(1);
  });

  it('reports records without their id fields and empty records', async () => {
    const { prepared } = schema.check([{ value: 3 }, {}]);
    const { problems } = await schema.build(prepared, describeFile, '2026-05-01T12:00:00Z');
    expect(problems).toEqual([
      { index: 0, field: 'station', error: 'no value for the id field station' },
      { index: 1, error: 'empty record: no value for any field' },
    ]);
  });

  it('rebuilds a backed-up record with the current schema', () => {
    const r = schema.rebuild({ station: 'A', value: 2, geo: { lat: 1, lon: 2 }, removed_since: 'x' }, '2026-01-01T00:00:00Z');
    expect(r).toEqual({ ok: true, doc: { recordid: recordIdOf({ station: 'A' }, ['station']), record_timestamp: '2026-01-01T00:00:00Z', fields: { station: 'A', value: 2, geo: { lat: 1, lon: 2 } } } });
  });
});
