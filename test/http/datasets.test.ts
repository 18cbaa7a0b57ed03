import request from 'supertest';
import { createApp } from '../../src/app';
import { datasetRegistry } from '../../src/datasets/registry';
import { createLogger } from '../../src/logger';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, emptyish, paris } from '../fixtures/datasets/cities';

function setup() {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor, [paris, emptyish]);
  return { backend, app: buildApp(backend) };
}

describe('GET /api/datasets/1.0/<id>/ (dataset lookup)', () => {
  it('gives metas.domain (DOMAIN_ID unless the descriptor has one), visibility, and v1 datetimes', async () => {
    // recorded shape: opendatateam/udata-ods tests/data/test-a.json ("domain": "etalab-sandbox",
    // "modified": "2015-04-09T10:28:45+00:00", "visibility": "domain", "metadata_processed": ...)
    const backend = fakeBackend();
    backend.addDataset({ ...citiesDescriptor, metas: { ...citiesDescriptor.metas, modified: '2021-01-04', data_processed: '2026-12-02T06:51:34.118Z' } });
    backend.addDataset({ ...citiesDescriptor, datasetid: 'own', metas: { ...citiesDescriptor.metas, domain: 'mine', data_processed: '2026-12-02T08:51:34+02:00' } });
    const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20, domainId: 'opendata-city' }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });
    const cities = await request(app).get('/api/datasets/1.0/cities/').expect(200);
    expect(cities.body.metas).toMatchObject({
      domain: 'opendata-city',
      visibility: 'public',
      modified: '2021-01-04',
      data_processed: '2026-12-02T06:51:34+00:00',
      metadata_processed: '2026-12-02T06:51:34+00:00',
    });
    const own = await request(app).get('/api/datasets/1.0/own/').expect(200);
    expect(own.body.metas).toMatchObject({ domain: 'mine', data_processed: '2026-12-02T06:51:34+00:00' });
  });

  it('returns the v1 dataset object', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/datasets/1.0/cities/').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      datasetid: 'cities',
      metas: { title: 'Cities', publisher: 'Test', records_count: 2, timezone: 'Europe/Paris', theme: ['Places'], visibility: 'public' },
      has_records: true,
      data_visible: true,
      features: ['analyze', 'geo', 'timeserie'],
      attachments: [{ id: 'documentation_pdf', title: 'Documentation', mimetype: 'application/pdf', url: 'odsfile://documentation.pdf' }],
      alternative_exports: [],
      fields: citiesDescriptor.fields,
      billing_plans: [],
    });
  });

  it('adds extra_metas (always with visualization) and interop_metas only when asked', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/datasets/1.0/cities/?extrametas=true&interopmetas=true&assetmetas=true&source=&timezone=UTC').expect(200);
    expect(res.body.extra_metas).toEqual({ explore: { download_count: 3 }, visualization: {} });
    expect(res.body.interop_metas).toEqual({ inspire: { theme: 'Places' } });
    const plain = await request(app).get('/api/datasets/1.0/cities').expect(200);
    expect(plain.body).not.toHaveProperty('extra_metas');
    expect(plain.body).not.toHaveProperty('interop_metas');
  });

  it('serves with and without trailing slash, and with double slashes, without redirecting', async () => {
    const { app } = setup();
    for (const path of ['/api/datasets/1.0/cities', '/api/datasets/1.0/cities/', '/api//datasets/1.0//cities/']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.body.datasetid).toBe('cities');
    }
  });

  it('accepts POST with a form body and with a JSON body', async () => {
    const { app } = setup();
    const form = await request(app).post('/api/datasets/1.0/cities/').type('form').send('extrametas=true').expect(200);
    expect(form.body.extra_metas.visualization).toEqual({});
    const json = await request(app).post('/api/datasets/1.0/cities/').send({ interopmetas: true }).expect(200);
    expect(json.body.interop_metas).toEqual({ inspire: { theme: 'Places' } });
  });

  it('answers an unknown dataset with 404 and the v1 error body', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/datasets/1.0/unknwn/').expect(404);
    expect(res.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: unknwn' });
  });

  it.each(['*', '_all', 'a,b', '-foo', '.security', 'A', '%2e%2e', 'x'.repeat(101), 'a%2Cb', 'ville\u0301'])(
    'rejects the invalid dataset id %j with 400 and never calls the backend',
    async (id) => {
      const { app, backend } = setup();
      const res = await request(app).get(`/api/datasets/1.0/${id.includes('%') ? id : encodeURIComponent(id)}/`);
      expect(res.status).toBe(400);
      expect(res.body.errorcode).toBe(10400);
      expect(res.body.error).toMatch(/dataset/);
      expect(backend.calls).toEqual([]);
    },
  );

  it('accepts id@domain and serves the local dataset', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/datasets/1.0/cities@public/').expect(200);
    expect(res.body.datasetid).toBe('cities');
  });

  it('wraps the body in the callback for format=jsonp and for a bare callback', async () => {
    const { app } = setup();
    for (const qs of ['format=jsonp&callback=cb', 'callback=cb']) {
      const res = await request(app).get(`/api/datasets/1.0/cities/?${qs}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/javascript/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const m = /^\/\*\*\/cb\((.*)\);$/s.exec(res.text);
      expect(m).not.toBeNull();
      expect(JSON.parse(m![1]!).datasetid).toBe('cities');
    }
  });

  it.each(['alert(1)', '1abc', 'a b', 'x'.repeat(65), 'a;b'])('rejects the callback %j', async (cb) => {
    const { app } = setup();
    const res = await request(app).get(`/api/datasets/1.0/cities/?callback=${encodeURIComponent(cb)}`).expect(400);
    expect(res.body.error).toMatch(/callback/);
  });

  it('rejects an unknown format naming the parameter and the allowed values', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/datasets/1.0/cities/?format=xml').expect(400);
    expect(res.body).toEqual({ errorcode: 10400, parameter: 'format', error: 'Invalid value for parameter "format": expected one of json, jsonp, got "xml"' });
  });

  it('pretty prints on pretty_print=true', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/datasets/1.0/cities/?pretty_print=true').expect(200);
    expect(res.text).toContain('\n  "datasetid": "cities"');
  });

  it('ignores unknown and junk parameters', async () => {
    const { app } = setup();
    await request(app).get('/api/datasets/1.0/cities/?location=2,0,-0.17&-sort=dist&_refreshTimestamp=1&basemap=x').expect(200);
  });
});

describe('GET /api/datasets/1.0/<id>/records/<recordid> (record lookup)', () => {
  it('returns the record in the v1 shape, in the requested timezone', async () => {
    const { app } = setup();
    const res = await request(app).get(`/api/datasets/1.0/cities/records/${paris.recordid}?timezone=Europe/Paris`).expect(200);
    expect(res.body).toEqual({
      datasetid: 'cities',
      recordid: paris.recordid,
      fields: {
        name: 'Paris',
        country: 'FR',
        tags: 'capital,seine',
        population: 2148000,
        founded: '0250-01-01',
        updated: '2021-01-08T16:31:09+01:00',
        geo: [48.8566, 2.3522],
      },
      geometry: { type: 'Point', coordinates: [2.3522, 48.8566] },
      record_timestamp: '2021-01-04T12:22:14.440000+01:00',
    });
    expect(Object.keys(res.body)).toEqual(['datasetid', 'recordid', 'fields', 'geometry', 'record_timestamp']);
  });

  it('renders UTC by default and leaves out empty values', async () => {
    const { app } = setup();
    const res = await request(app).get(`/api/datasets/1.0/cities/records/${emptyish.recordid}/`).expect(200);
    expect(res.body).toEqual({
      datasetid: 'cities',
      recordid: emptyish.recordid,
      fields: { name: 'Nowhere' },
      record_timestamp: '2021-06-01T00:00:00+00:00',
    });
  });

  it('answers an unknown record with 404', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/datasets/1.0/cities/records/ffff').expect(404);
    expect(res.body).toEqual({ errorcode: 10405, error: 'Unknown record: ffff in dataset cities' });
  });

  it('rejects a bad timezone with 400 naming the parameter', async () => {
    const { app } = setup();
    const res = await request(app).get(`/api/datasets/1.0/cities/records/${paris.recordid}?timezone=Mars/Olympus`).expect(400);
    expect(res.body.error).toMatch(/"timezone".*IANA/);
  });
});

describe('conventions', () => {
  it('answers CORS simple requests and preflights, echoing the requested headers', async () => {
    const { app } = setup();
    const simple = await request(app).get('/api/datasets/1.0/cities/').set('Origin', 'http://127.0.0.1:8766').expect(200);
    expect(simple.headers['access-control-allow-origin']).toBe('*');
    const pre = await request(app)
      .options('/api/records/1.0/search/')
      .set('Origin', 'https://example.org')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'ODS-Widgets-Version, ODS-API-Analytics-App')
      .expect(204);
    expect(pre.headers['access-control-allow-headers']).toBe('ODS-Widgets-Version, ODS-API-Analytics-App');
    expect(pre.headers['access-control-allow-methods']).toMatch(/GET/);
  });

  it('answers an unknown endpoint with a v1 404 body', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/nothing/here').expect(404);
    expect(res.body.errorcode).toBe(10406);
  });

  it('answers a malformed JSON body with 400, a too large body with 413', async () => {
    const { app } = setup();
    const bad = await request(app).post('/api/datasets/1.0/cities/').set('Content-Type', 'application/json').send('{"q":').expect(400);
    expect(bad.body.errorcode).toBe(10400);
    const big = await request(app).post('/api/datasets/1.0/cities/').type('form').send(`q=${'a'.repeat(1024 * 1024 + 10)}`).expect(413);
    expect(big.body.errorcode).toBe(10413);
  });

  it('gives every response a request id, and keeps a sane incoming one', async () => {
    const { app } = setup();
    const res = await request(app).get('/healthz').set('X-Request-Id', 'abcdef123456').expect(200);
    expect(res.headers['x-request-id']).toBe('abcdef123456');
    const gen = await request(app).get('/healthz').set('X-Request-Id', 'bad id!').expect(200);
    expect(gen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
