/**
 * The streamed download on the real node: every sample dataset in every format gives exactly nhits
 * records, each once; rows, sort and fields; geo_simplify; the point-in-time is gone after a complete
 * download and after a client disconnects mid-way; first bytes before the end, with the throughput
 * and memory printed for the record (docs/analyze-geocluster-download.md).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { openSearchBackend } from '../../src/opensearch/backend';
import { datasetRegistry } from '../../src/datasets/registry';
import { closeTestContext, testContext } from '../helpers/integration';
import { geonamesCities } from '../helpers/sample-data';

jest.setTimeout(300_000);
const ctx = testContext();
const backend = openSearchBackend(ctx.client, ctx.names);
const app = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0) });
let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await closeTestContext();
});

const DATASETS = ['geonames-cities', 'movies', 'earthquakes', 'seattle-weather', 'countries'];
const FORMATS = ['csv', 'json', 'jsonp', 'geojson', 'geojsonp'] as const;

async function nhits(dataset: string): Promise<number> {
  const res = await request(app).get(`/api/records/1.0/search?dataset=${dataset}&rows=0`).expect(200);
  return res.body.nhits as number;
}

/** Our point-in-times on the test indices (a PIT id embeds its index name). */
async function openPits(): Promise<number> {
  const res = await ctx.client.getAllPits();
  const pits = (res.body as { pits?: { pit_id: string }[] }).pits ?? [];
  return pits.filter((p) => Buffer.from(p.pit_id, 'base64').toString('latin1').includes(`${ctx.names.prefix}-records-`)).length;
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET over a real socket, streaming: the body, time to first byte, total time and peak RSS. */
function download(path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; ttfb: number; total: number; peakRss: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    // A new connection each time: parsing a 50 MB body can outlast the server's keep-alive timeout
    // (5 s) on a busy machine, and reusing that connection would then be reset.
    http
      .get(`http://127.0.0.1:${port}${path}`, { agent: false }, (res) => {
        let ttfb = 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (ttfb === 0) ttfb = Date.now() - started;
          chunks.push(c);
        });
        res.on('end', () => {
          clearInterval(sampler);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ttfb, total: Date.now() - started, peakRss });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function records(format: (typeof FORMATS)[number], body: string): { count: number; ids: string[] } {
  const unwrap = (s: string) => s.replace(/^\/\*\*\/cb\(/, '').replace(/\);$/, '');
  switch (format) {
    case 'csv': {
      const rows = parse(body, { delimiter: ';', relax_column_count: false }) as string[][];
      return { count: rows.length - 1, ids: [] };
    }
    case 'json':
    case 'jsonp': {
      const list = JSON.parse(format === 'json' ? body : unwrap(body)) as { recordid: string }[];
      return { count: list.length, ids: list.map((r) => r.recordid) };
    }
    case 'geojson':
    case 'geojsonp': {
      const fc = JSON.parse(format === 'geojson' ? body : unwrap(body)) as { type: string; features: { properties: { recordid: string } }[] };
      expect(fc.type).toBe('FeatureCollection');
      return { count: fc.features.length, ids: fc.features.map((f) => f.properties.recordid) };
    }
  }
}

describe('download: every sample dataset in every format', () => {
  for (const dataset of DATASETS) {
    it(`${dataset}: exactly nhits records, each once, in ${FORMATS.join(', ')}`, async () => {
      const expected = await nhits(dataset);
      expect(expected).toBeGreaterThan(0);
      for (const format of FORMATS) {
        const res = await download(`/api/records/1.0/download/?dataset=${dataset}&format=${format}${format.endsWith('p') ? '&callback=cb' : ''}&timezone=UTC`);
        expect(res.status).toBe(200);
        const got = records(format, res.body);
        expect({ format, count: got.count }).toEqual({ format, count: expected });
        if (got.ids.length > 0) expect(new Set(got.ids).size).toBe(expected);
      }
      expect(await openPits()).toBe(0);
    });
  }
});

describe('download: options', () => {
  it('rows, sort and fields: the 10 most populated cities of the source, in order', async () => {
    const res = await request(app).get('/api/records/1.0/download?dataset=geonames-cities&format=json&rows=10&sort=population&fields=name,population').expect(200);
    const top = [...geonamesCities()].sort((a, b) => b.population - a.population).slice(0, 10);
    expect(res.body.map((r: { fields: { population: number } }) => r.fields.population)).toEqual(top.map((c) => c.population));
    expect(Object.keys(res.body[0].fields).sort()).toEqual(['name', 'population']);
    expect(res.body[0].geometry.type).toBe('Point');
  });

  it('csv with labels and a comma: the header of labels, geo_point_2d as "lat,lon"', async () => {
    const d = ctx.descriptor('seattle-weather');
    const res = await request(app).get('/explore/dataset/seattle-weather/download/?format=csv&use_labels_for_header=true&csv_separator=,').expect(200);
    const rows = parse(res.text, { delimiter: ',' }) as string[][];
    expect(rows[0]).toEqual(d.fields.map((f) => f.label));
    const cities = await request(app).get('/api/records/1.0/download?dataset=geonames-cities&rows=1&fields=geo_point_2d&sort=-population').expect(200);
    expect(cities.text.split('\r\n')[1]).toMatch(/^"-?\d+(\.\d+)?,-?\d+(\.\d+)?"$|^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);
  });

  it('geo_simplify: fewer vertices at a low zoom, rings still closed and at least 4 positions', async () => {
    type Rec = { fields: { geo_shape: { type: string; coordinates: number[][][] | number[][][][] } } };
    const full = (await request(app).get('/api/records/1.0/download?dataset=countries&format=json&fields=geo_shape').expect(200)).body as Rec[];
    const simple = (await request(app).get('/api/records/1.0/download?dataset=countries&format=json&fields=geo_shape&geo_simplify=true&geo_simplify_zoom=2').expect(200)).body as Rec[];
    const rings = (g: Rec['fields']['geo_shape']) => (g.type === 'Polygon' ? (g.coordinates as number[][][]) : (g.coordinates as number[][][][]).flat());
    const vertices = (list: Rec[]) => list.reduce((n, r) => n + rings(r.fields.geo_shape).reduce((m, ring) => m + ring.length, 0), 0);
    expect(simple).toHaveLength(full.length);
    expect(vertices(simple)).toBeLessThan(vertices(full) * 0.8);
    for (const r of simple) {
      for (const ring of rings(r.fields.geo_shape)) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
      }
    }
  });
});

describe('download: streaming and the point-in-time', () => {
  it('first bytes long before the end; throughput and memory on geonames-cities (printed)', async () => {
    const before = process.memoryUsage().rss;
    const res = await download('/api/records/1.0/download/?dataset=geonames-cities&format=json');
    const n = (JSON.parse(res.body) as unknown[]).length;
    expect(n).toBe(await nhits('geonames-cities'));
    expect(res.ttfb).toBeLessThan(res.total / 4);
    process.stderr.write(
      `[download] geonames-cities json: ${n} records, ${(res.body.length / 1e6).toFixed(1)} MB in ${res.total} ms ` +
        `(${Math.round((n * 1000) / res.total)} records/s), first byte after ${res.ttfb} ms, ` +
        `peak RSS of the test process +${Math.round((res.peakRss - before) / 1e6)} MB (the client here buffers the whole body)\n`,
    );
    expect(await openPits()).toBe(0);
  });

  it('a client disconnecting mid-download leaves no open point-in-time', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`http://127.0.0.1:${port}/api/records/1.0/download/?dataset=geonames-cities&format=csv`, (res) => {
        let received = 0;
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (received > 200_000) {
            req.destroy();
            resolve();
          }
        });
        res.on('end', () => reject(new Error('the download ended before the disconnect')));
      });
      req.on('error', () => undefined);
    });
    // the PIT was open while the download ran; it must be deleted soon after the disconnect
    await until(async () => (await openPits()) === 0);
    const stats = await ctx.client.nodes.stats({ metric: ['indices'], index_metric: ['search'] });
    const contexts = Object.values((stats.body as { nodes: Record<string, { indices: { search: { open_contexts: number } } }> }).nodes).map(
      (n) => n.indices.search.open_contexts,
    );
    expect(contexts.every((c) => c === 0)).toBe(true);
  });
});
