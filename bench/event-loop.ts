/**
 * `node .local/bench-dist/bench/event-loop.js`: the longest time one hostile request holds the
 * gateway's event loop (its synchronous work: body parsing, q parsing and checks, polygon checks,
 * building the search), per case. The gateway runs in this process over a backend that answers at
 * once with no hit, so only the gateway's own work is measured; the longest event-loop delay
 * (perf_hooks.monitorEventLoopDelay, 1 ms resolution) seen while a request is served is that
 * request's worst block. Each case runs 7 times after a warm-up; the median and the maximum are
 * printed. Not part of `npm run bench` and not a test: a tool to compare before/after a change.
 */
import { readFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { listenPort } from './gateway';
import { createLogger } from '../src/logger';
import { datasetRegistry } from '../src/datasets/registry';
import type { Backend } from '../src/opensearch/backend';

const ROOT = join(__dirname, '..', '..', '..');
const cities = JSON.parse(readFileSync(join(ROOT, 'mappings', 'geonames-cities.json'), 'utf8')) as { datasetid: string };

const empty = { hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: {} };
const backend: Backend = {
  getCatalogDoc: async (id) => (id === cities.datasetid ? { recordid: id, dataset: { ...cities, metas: { ...(cities as { metas?: object }).metas, records_count: 0 } } } : undefined),
  getRecord: async () => undefined,
  searchRecords: async () => structuredClone(empty),
  searchCatalog: async () => structuredClone(empty),
  ping: async () => true,
  openPit: async () => ({ pitId: 'p', shards: 1 }),
  searchWithPit: async () => structuredClone(empty),
  closePit: async () => undefined,
  countOpenPits: async () => 0,
  writeRecords: async () => [],
};

const ring = (n: number, lat: number, digits = 6): string =>
  Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return `(${(lat + Math.sin(a)).toFixed(digits)},${(2 + Math.cos(a)).toFixed(digits)})`;
  }).join(',');
const form = (pairs: [string, string][]): string => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const base: [string, string][] = [['dataset', 'geonames-cities'], ['rows', '0']];

const CASES: { name: string; body: string }[] = [
  { name: '60 q of one 440-point #polygon (the finding)', body: form([...base, ...Array.from({ length: 60 }, (): [string, string] => ['q', `#polygon(geo_point_2d, "${ring(440, 48)}")`])]) },
  { name: 'one q: a 440-point #polygon', body: form([...base, ['q', `#polygon(geo_point_2d, "${ring(440, 48)}")`]]) },
  { name: 'one q: a 1400-point #polygon, short coordinates', body: form([...base, ['q', `#polygon(geo_point_2d, "${ring(1400, 48, 1)}")`]]) },
  { name: 'one q: 10 000 characters of ORed words', body: form([...base, ['q', Array.from({ length: 1200 }, (_, i) => `w${i}`).join(' OR ').slice(0, 9990)]]) },
  { name: '60 q of 10 000 characters each', body: form([...base, ...Array.from({ length: 60 }, (_, k): [string, string] => ['q', Array.from({ length: 1200 }, (_, i) => `w${k}x${i}`).join(' OR ').slice(0, 9990)])]) },
  { name: 'geofilter.polygon: 1000 points', body: form([...base, ['geofilter.polygon', ring(1000, 48)]]) },
  { name: 'geofilter.polygon: 20 values of 1000 points', body: form([...base, ...Array.from({ length: 20 }, (_, k): [string, string] => ['geofilter.polygon', ring(1000, 40 + k * 0.01)])]) },
  { name: '9 000 geofilter.distance values', body: form([...base, ...Array.from({ length: 9000 }, (_, k): [string, string] => ['geofilter.distance', `48.${k},2.3,1000`])]) },
  { name: '9 000 refine.country_code values', body: form([...base, ['facet', 'country_code'], ...Array.from({ length: 9000 }, (_, k): [string, string] => ['refine.country_code', `c${k}`])]) },
  { name: '9 000 facet values', body: form([...base, ...Array.from({ length: 9000 }, (_, k): [string, string] => ['facet', k % 2 ? 'country_code' : 'feature_code'])]) },
  { name: '9 000 sort values', body: form([...base, ...Array.from({ length: 9000 }, (_, k): [string, string] => ['sort', k % 2 ? 'population' : '-population'])]) },
  { name: '9 000 fields values', body: form([...base, ...Array.from({ length: 9000 }, (_, k): [string, string] => ['fields', k % 2 ? 'name' : 'population'])]) },
  { name: '9 000 q.<name> values of one word', body: form([...base, ...Array.from({ length: 9000 }, (_, k): [string, string] => [`q.v${k}`, `w${k}`])]) },
];

function post(port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/records/1.0/search', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 10 * 1024 * 1024 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 60_000),
  });
  const listenOn = await listenPort();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(listenOn, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  try {
    process.stdout.write('| case | body | status | worst block, median of 7 (ms) | worst block, max of 7 (ms) |\n|---|---|---|---|---|\n');
    for (const c of CASES) {
      await post(port, c.body); // warm-up (JIT, caches)
      const blocks: number[] = [];
      let status = 0;
      for (let i = 0; i < 7; i++) {
        await new Promise((r) => setTimeout(r, 20));
        h.reset();
        status = await post(port, c.body);
        await new Promise((r) => setTimeout(r, 5));
        blocks.push(h.max / 1e6);
      }
      blocks.sort((a, b) => a - b);
      const kb = (Buffer.byteLength(c.body) / 1024).toFixed(0);
      process.stdout.write(`| ${c.name} | ${kb} KB | ${status} | ${blocks[3]!.toFixed(1)} | ${blocks[6]!.toFixed(1)} |\n`);
    }
  } finally {
    h.disable();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

void main();
