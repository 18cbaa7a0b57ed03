import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { buildApp } from '../helpers/build-app';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, emptyish, paris } from '../fixtures/datasets/cities';
import type { StoredRecord } from '../../src/responses/record';
import { backendUnavailable } from '../../src/errors';

function setup() {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor, [paris, emptyish]);
  return { backend, app: buildApp(backend) };
}

/** An endless dataset: record n at position n. */
const endless = (from: number, size: number): StoredRecord[] =>
  Array.from({ length: size }, (_, i) => ({
    recordid: `r${from + i}`,
    fields: { name: `City number ${from + i} with a fairly long name to fill the socket buffers`, population: from + i },
  }));

async function listen(backend: FakeBackend): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(buildApp(backend));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GET /api/records/1.0/download', () => {
  it('csv by default, every record, the PIT closed at the end', async () => {
    const { app, backend } = setup();
    const res = await request(app).get('/api/records/1.0/download/?dataset=cities&timezone=UTC').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="cities.csv"');
    expect(res.text).toBe(
      'name;country;tags;population;founded;updated;geo\r\n' +
        'Paris;FR;capital,seine;2148000;0250-01-01;2021-01-08T15:31:09+00:00;48.8566,2.3522\r\n' +
        'Nowhere;;;;;;\r\n',
    );
    expect(backend.openPits.size).toBe(0);
    expect(backend.calls.filter((c) => c.method === 'closePit')).toHaveLength(1);
  });

  it('asks OpenSearch for the whole stored document when every field is wanted, else for the fields needed', async () => {
    const sources = async (qs: string) => {
      const { app, backend } = setup();
      await request(app).get(`/api/records/1.0/download/?dataset=cities${qs}`).expect(200);
      return backend.calls.filter((c) => c.method === 'searchWithPit').map((c) => (c.args[0] as { _source: unknown })._source);
    };
    expect(await sources('')).toEqual([true]);
    const all = citiesDescriptor.fields.map((f) => f.name).join(',');
    expect(await sources(`&fields=${all}`)).toEqual([true]);
    // a subset: its fields, and the geo field that gives each record its geometry
    expect(await sources('&fields=name')).toEqual([['recordid', 'record_timestamp', 'fields.name', 'fields.geo']]);
  });

  it('json: a bare array of records; jsonp; geojson; the aliases', async () => {
    const { app } = setup();
    const json = await request(app).get('/api/datasets/1.0/cities/records/download/?format=json&fields=name,geo').expect(200);
    expect(json.body).toEqual([
      { datasetid: 'cities', recordid: paris.recordid, fields: { name: 'Paris', geo: [48.8566, 2.3522] }, geometry: { type: 'Point', coordinates: [2.3522, 48.8566] }, record_timestamp: '2021-01-04T11:22:14.440000+00:00' },
      { datasetid: 'cities', recordid: emptyish.recordid, fields: { name: 'Nowhere' }, record_timestamp: '2021-06-01T00:00:00+00:00' },
    ]);
    const jsonp = await request(app).get('/explore/dataset/cities/download/?format=jsonp&callback=cb&rows=1&fields=name').expect(200);
    expect(jsonp.headers['content-type']).toMatch(/^application\/javascript/);
    expect(jsonp.text).toMatch(/^\/\*\*\/cb\(\[\{"datasetid":"cities".*\}\]\);$/);
    const geojson = await request(app).post('/api/records/1.0/download').send({ dataset: 'cities', format: 'geojson' }).expect(200);
    expect(JSON.parse(geojson.text).features.map((f: { properties: { recordid: string } }) => f.properties.recordid)).toEqual([paris.recordid, emptyish.recordid]);
    const labels = await request(app).get('/api/records/1.0/download?dataset=cities&use_labels_for_header=true&fields=population,name&csv_separator=,').expect(200);
    expect(labels.text.split('\r\n')[0]).toBe('Population,Name');
  });

  it.each([
    ['format=xls', 'format'],
    ['fields=name,nope', 'fields'],
    ['rows=-3', 'rows'],
    ['sort=geo', 'sort'],
    ['format=jsonp', 'callback'],
    ['format=json&callback=alert(1)', 'callback'],
    ['csv_separator=;;', 'csv_separator'],
    ['geo_simplify=true&geo_simplify_zoom=99', 'geo_simplify_zoom'],
  ])('%s → 400 naming %s, no PIT opened', async (qs, parameter) => {
    const { app, backend } = setup();
    const res = await request(app).get(`/api/records/1.0/download?dataset=cities&${qs}`).expect(400);
    expect(res.body.parameter).toBe(parameter);
    expect(backend.calls.filter((c) => c.method === 'openPit')).toHaveLength(0);
  });

  it('an error before the first byte is a v1 error, and the PIT is closed', async () => {
    const { app, backend } = setup();
    backend.failPitSearchAt = { call: 1, error: backendUnavailable('test') };
    const res = await request(app).get('/api/records/1.0/download?dataset=cities').expect(503);
    expect(res.body.errorcode).toBe(10503);
    expect(backend.openPits.size).toBe(0);
  });

  it('an error after the first bytes cuts the connection, and the PIT is closed', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor);
    backend.pitSource = (_id, from, size) => endless(from, size);
    backend.failPitSearchAt = { call: 3, error: new Error('shard failure') };
    const server = await listen(backend);
    const outcome = await new Promise<string>((resolve) => {
      http.get(`http://127.0.0.1:${server.port}/api/records/1.0/download?dataset=cities&format=json`, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(`ended:${res.statusCode}`));
        res.on('error', () => resolve(`cut:${res.statusCode}:${text.startsWith('[') ? 'partial' : 'none'}`));
        res.on('aborted', () => resolve(`cut:${res.statusCode}:${text.startsWith('[') ? 'partial' : 'none'}`));
      }).on('error', () => resolve('cut'));
    });
    expect(outcome).toBe('cut:200:partial');
    await until(() => backend.openPits.size === 0);
    await server.close();
  });

  it('a client disconnecting mid-download closes the PIT', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor);
    backend.pitSource = (_id, from, size) => endless(from, size);
    const server = await listen(backend);
    await new Promise<void>((resolve) => {
      const req = http.get(`http://127.0.0.1:${server.port}/api/records/1.0/download?dataset=cities`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    await until(() => backend.calls.some((c) => c.method === 'closePit'));
    expect(backend.openPits.size).toBe(0);
    await server.close();
  });

  it('a client that does not read throttles the reads (back-pressure), then its disconnect closes the PIT', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor);
    backend.pitSource = (_id, from, size) => endless(from, size);
    const server = await listen(backend);
    const reads = () => backend.calls.filter((c) => c.method === 'searchWithPit').length;
    let req!: http.ClientRequest;
    await new Promise<void>((resolve) => {
      req = http.get(`http://127.0.0.1:${server.port}/api/records/1.0/download?dataset=cities`, (res) => {
        res.pause();
        resolve();
      });
      req.on('error', () => undefined);
    });
    // let the buffers fill, then check that reading has stopped
    let before = -1;
    for (let i = 0; i < 50 && before !== reads(); i++) {
      before = reads();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(reads()).toBe(before);
    expect(before).toBeLessThan(200); // an endless set: only a bounded number of pages were read
    req.destroy();
    await until(() => backend.openPits.size === 0);
    await server.close();
  });
});
