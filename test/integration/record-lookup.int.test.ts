/**
 * Record lookup `/api/datasets/1.0/<id>/records/<recordid>` on the sample datasets: the exact
 * v1 shape, with every value checked against the npm source data computed here, independently of the
 * ingest code: geo_point_2d as [lat, lon], geometry as GeoJSON [lon, lat], dates as ISO strings,
 * datetimes and record_timestamp with the offset of the requested timezone.
 */
import request from 'supertest';
import { DateTime } from 'luxon';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { countries, earthquakes, movieDate, movies } from '../helpers/sample-data';

const ctx = testContext();
afterAll(() => closeTestContext());
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });

type V1Record = { datasetid: string; recordid: string; fields: Record<string, unknown>; geometry?: { type: string; coordinates: unknown }; record_timestamp: string };

/** The recordid of the one record matching q, found through the search API. */
async function recordIdWhere(dataset: string, q: string): Promise<string> {
  const res = await request(app).get('/api/records/1.0/search/').query({ dataset, q, rows: 2 }).expect(200);
  expect(res.body.nhits).toBe(1);
  return res.body.records[0].recordid as string;
}

async function lookup(dataset: string, recordid: string, timezone?: string): Promise<V1Record> {
  const res = await request(app)
    .get(`/api/datasets/1.0/${dataset}/records/${recordid}/`)
    .query(timezone ? { timezone } : {})
    .expect(200);
  return res.body as V1Record;
}

/** Python isoformat() of an instant in a zone: a six-digit fraction only when not zero. */
function isoformat(ms: number, zone: string): string {
  const t = DateTime.fromMillis(ms, { zone });
  const frac = t.millisecond === 0 ? '' : `.${String(t.millisecond).padStart(3, '0')}000`;
  return `${t.toFormat("yyyy-MM-dd'T'HH:mm:ss")}${frac}${t.toFormat('ZZ')}`;
}

const RECORD_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?[+-]\d{2}:\d{2}$/;

describe('record lookup on the sample datasets', () => {
  it('earthquakes: point as [lat, lon], geometry [lon, lat], datetimes in the requested timezone', async () => {
    const quake = earthquakes().find((q) => q.properties.mag !== null && q.properties.felt !== null)!;
    const recordid = await recordIdWhere('earthquakes', `id=="${quake.id}"`);
    for (const zone of ['UTC', 'America/Los_Angeles']) {
      const r = await lookup('earthquakes', recordid, zone === 'UTC' ? undefined : zone);
      expect(Object.keys(r)).toEqual(['datasetid', 'recordid', 'fields', 'geometry', 'record_timestamp']);
      expect(r.datasetid).toBe('earthquakes');
      expect(r.recordid).toBe(recordid);
      const [lon, lat] = quake.geometry.coordinates;
      expect(r.fields.geo_point_2d).toEqual([lat, lon]);
      expect(r.geometry).toEqual({ type: 'Point', coordinates: [lon, lat] });
      expect(r.fields.time).toBe(isoformat(quake.properties.time, zone));
      expect(r.fields.mag).toBe(quake.properties.mag);
      expect(r.fields.place).toBe(quake.properties.place);
      expect(r.record_timestamp).toMatch(RECORD_TIMESTAMP);
      if (zone === 'UTC') expect(r.record_timestamp.endsWith('+00:00')).toBe(true);
      else expect(r.record_timestamp).toMatch(/-0[78]:00$/);
    }
  });

  it('movies: a date field is the calendar day, empty values are left out', async () => {
    const all = movies();
    const film = all.find((m) => m.Title === 'Inception')!;
    const recordid = await recordIdWhere('movies', `title=="Inception"`);
    const r = await lookup('movies', recordid, 'Pacific/Kiritimati');
    expect(r.fields.release_date).toBe(movieDate(film['Release Date'] as string));
    expect(r.fields.imdb_rating).toBe(film['IMDB Rating']);
    expect(r).not.toHaveProperty('geometry');
    const withNull = all.find((m) => m['MPAA Rating'] === null && m.Title !== null && all.filter((x) => x.Title === m.Title).length === 1)!;
    const id2 = await recordIdWhere('movies', `title=="${String(withNull.Title).replace(/"/g, '\\"')}"`);
    const r2 = await lookup('movies', id2);
    expect(r2.fields).not.toHaveProperty('mpaa_rating');
    for (const v of Object.values(r2.fields)) expect(v === null || v === '').toBe(false);
  });

  it('countries: the geometry is the Point of geo_point_2d (a dataset with a point and a shape), the shape GeoJSON [lon, lat] in fields, the point within its bounds', async () => {
    const france = countries().find((c) => c.properties.name === 'France')!;
    const recordid = await recordIdWhere('countries', 'name=="France"');
    const r = await lookup('countries', recordid);
    const shape = r.fields.geo_shape as { type: string; coordinates: unknown };
    expect(shape.type).toBe(france.geometry.type);
    const [pointLat, pointLon] = r.fields.geo_point_2d as [number, number];
    expect(r.geometry).toEqual({ type: 'Point', coordinates: [pointLon, pointLat] });
    const flat = JSON.stringify(shape.coordinates).match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
    const lons = flat.filter((_, i) => i % 2 === 0);
    const lats = flat.filter((_, i) => i % 2 === 1);
    // France's metropolitan part spans roughly lon -5..10, lat 41..51 ([lon, lat] order, not swapped).
    expect(Math.max(...lats)).toBeLessThan(52);
    expect(Math.min(...lons)).toBeLessThan(-4);
    const [lat, lon] = r.fields.geo_point_2d as [number, number];
    expect(lat).toBeGreaterThanOrEqual(Math.min(...lats));
    expect(lat).toBeLessThanOrEqual(Math.max(...lats));
    expect(lon).toBeGreaterThanOrEqual(Math.min(...lons));
    expect(lon).toBeLessThanOrEqual(Math.max(...lons));
  });

  it('an unknown record answers 404 with the v1 body', async () => {
    const res = await request(app).get('/api/datasets/1.0/movies/records/0000000000000000000000000000000000000000/').expect(404);
    expect(res.body).toEqual({ errorcode: 10405, error: 'Unknown record: 0000000000000000000000000000000000000000 in dataset movies' });
  });
});
