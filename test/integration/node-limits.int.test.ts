/**
 * The gateway refuses before OpenSearch's per-node limits are reached, on a node of this file's own
 * (test/helpers/dedicated-node.ts) whose limits are set low:
 *
 * - `search.max_open_pit_context: 5`: stalled downloads hold point-in-times; the gateway answers
 *   429 (per caller) and 503 (in all) with Retry-After while the node still has contexts for other
 *   applications, and cuts a download whose client stopped reading;
 * - `script.max_compilations_rate: 8/5m`: callers inventing analyze expressions never exhaust the
 *   node's compilations: past the gateway's budget their expressions are interpreted, and every
 *   answer is the value computed here from the rows.
 *
 * Callers are told apart by X-Forwarded-For (the app trusts the proxy header here).
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@opensearch-project/opensearch';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';
import { datasetRegistry } from '../../src/datasets/registry';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';
import { createProtection, type ProtectionConfig } from '../../src/protection';
import { dedicatedNode, type DedicatedNode } from '../helpers/dedicated-node';

jest.setTimeout(300_000);

const names = indexNames('limits');
const descriptor = parseDescriptor({
  datasetid: 'bulk',
  metas: { title: 'Bulk' },
  fields: [
    { name: 'n', label: 'N', type: 'int' },
    { name: 'm', label: 'M', type: 'double' },
    { name: 'group', label: 'Group', type: 'text' },
    { name: 'padding', label: 'Padding', type: 'text' },
  ],
});
/** 12 000 records of ~2 KB: a download is far larger than what socket buffers hold. */
const ROWS = Array.from({ length: 12_000 }, (_, i) => ({ n: i % 97, m: (i % 13) - 6.5, group: `g${i % 3}`, padding: `p${i} ${'x'.repeat(2000)}` }));

let node: DedicatedNode;
let client: Client;

async function setLimits(settings: Record<string, unknown>): Promise<void> {
  await client.cluster.putSettings({ body: { transient: settings } });
}

beforeAll(async () => {
  node = await dedicatedNode();
  client = createOpenSearchClient({ opensearchUrl: node.url, opensearchRequestTimeoutMs: 120_000 });
  await loadDataset({
    client,
    names,
    datasetId: 'bulk',
    descriptor,
    source: { rows: (async function* () { let line = 0; for (const row of ROWS) yield { line: ++line, row }; })() },
    log: () => {},
  });
});

afterAll(async () => {
  await setLimits({ 'search.max_open_pit_context': null, 'script.max_compilations_rate': null }).catch(() => undefined);
  await client?.close();
  await node?.stop();
});

async function listen(config: ProtectionConfig & { downloadPageSize?: number }): Promise<{ url: URL; server: Server }> {
  const backend = openSearchBackend(client, names);
  const app = createApp({
    config: { trustProxy: true, maxRequestBodyBytes: 1 << 20, ...config },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    protection: createProtection(config),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), server };
}

/** Closes a test server, cutting whatever connection a failed test left open. */
async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

interface Started {
  req: ClientRequest;
  res: IncomingMessage;
  body: Promise<string>;
  closed: Promise<void>;
}

/** A request from `ip`; a 200 download is left unread (the client stalls) unless `read`. */
function start(base: URL, path: string, ip: string, read = false): Promise<Started> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, path, agent: false, headers: { 'X-Forwarded-For': ip } }, (res) => {
      const closed = new Promise<void>((r) => {
        res.once('close', () => r());
        res.once('error', () => r());
        req.once('error', () => r());
      });
      let text = '';
      const body = new Promise<string>((r) => {
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.once('end', () => r(text));
        res.once('close', () => r(text));
      });
      if (res.statusCode === 200 && !read) res.pause();
      resolve({ req, res, body, closed });
    });
    req.on('error', reject);
    req.end();
  });
}

const openPits = async (): Promise<number> => ((await client.getAllPits()).body as { pits?: unknown[] }).pits?.length ?? 0;

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe('downloads against search.max_open_pit_context = 5', () => {
  const DOWNLOAD = '/api/records/1.0/download/?dataset=bulk&format=csv';

  it('When callers stall downloads, then the gateway answers 429 per caller and 503 in all, before OpenSearch refuses anyone', async () => {
    await setLimits({ 'search.max_open_pit_context': 5 });
    const { url, server } = await listen({ downloadPageSize: 50, downloadMaxConcurrent: 4, downloadMaxPerIdentity: 2, downloadIdleTimeoutSeconds: 120 });
    const held: Started[] = [];
    try {
      for (const ip of ['10.0.0.1', '10.0.0.1']) held.push(await start(url, DOWNLOAD, ip));
      expect(held.map((h) => h.res.statusCode)).toEqual([200, 200]);
      // A third download of the same caller: 429 from the gateway, with Retry-After.
      const third = await start(url, DOWNLOAD, '10.0.0.1', true);
      expect(third.res.statusCode).toBe(429);
      expect(third.res.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse(await third.body)).toMatchObject({ errorcode: 10429 });
      for (const ip of ['10.0.0.2', '10.0.0.2']) held.push(await start(url, DOWNLOAD, ip));
      expect(held.map((h) => h.res.statusCode)).toEqual([200, 200, 200, 200]);
      // A fifth download, from anyone: 503 from the gateway while the node still has a context left.
      const fifth = await start(url, DOWNLOAD, '10.0.0.3', true);
      expect(fifth.res.statusCode).toBe(503);
      expect(fifth.res.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse(await fifth.body)).toMatchObject({ errorcode: 10505 });
      expect(await openPits()).toBe(4);
      // Another application of the cluster still gets its point-in-time.
      const other = await client.createPit({ index: [names.recordsAlias('bulk')], keep_alive: '30s' });
      await client.deletePit({ body: { pit_id: [other.body.pit_id] } });
      // A caller that lets go frees its slot at once: a new caller gets it.
      held.shift()!.req.destroy();
      const again = await until(async () => {
        const s = await start(url, DOWNLOAD, '10.0.0.3');
        if (s.res.statusCode === 200) {
          held.push(s);
          return true;
        }
        await s.body;
        return false;
      }, 10_000);
      expect(again).toBe(true);
    } finally {
      for (const h of held) h.req.destroy();
      await closeServer(server);
    }
    // Every point-in-time is deleted once the clients are gone.
    expect(await until(async () => (await openPits()) === 0, 15_000)).toBe(true);
  });

  it('When a client stops reading, then its download is cut after DOWNLOAD_IDLE_TIMEOUT_SECONDS and its point-in-time deleted', async () => {
    // Large pages fill the socket buffers (several MB between the two ends) quickly; from then on
    // the gateway sees the client read nothing.
    const { url, server } = await listen({ downloadPageSize: 1000, downloadIdleTimeoutSeconds: 2 });
    try {
      const stalled = await start(url, DOWNLOAD, '10.0.0.9');
      expect(stalled.res.statusCode).toBe(200);
      expect(await openPits()).toBe(1);
      // The gateway deletes the point-in-time while the client still holds its connection...
      expect(await until(async () => (await openPits()) === 0, 60_000)).toBe(true);
      // ...and reset the connection: reading on, the client gets a cut download, not a complete one.
      stalled.res.resume();
      const closed = await Promise.race([stalled.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
      expect(closed).toBe(true);
      const lines = (await stalled.body).split('\n').filter((l) => l.length > 0);
      expect(lines.length).toBeLessThan(ROWS.length + 1);
    } finally {
      await closeServer(server);
    }
  });
});

describe('analyze expressions against script.max_compilations_rate = 8/5m', () => {
  /** 12 shapes, each a different structure or field: each is one compilation for a Lucene expression. */
  const SHAPES: [string, (r: (typeof ROWS)[number]) => number][] = [
    ['n + 1', (r) => r.n + 1],
    ['n * m', (r) => r.n * r.m],
    ['sqrt(n)', (r) => Math.sqrt(r.n)],
    ['abs(m) + n', (r) => Math.abs(r.m) + r.n],
    ['n - m * 2', (r) => r.n - r.m * 2],
    ['pow(n, 2)', (r) => r.n ** 2],
    ['max(n, m)', (r) => Math.max(r.n, r.m)],
    ['min(n, m) / 3', (r) => Math.min(r.n, r.m) / 3],
    ['log(n + 1)', (r) => Math.log(r.n + 1)],
    ['floor(m) * n', (r) => Math.floor(r.m) * r.n],
    ['n % 7 + m', (r) => (r.n % 7) + r.m],
    ['exp(m / 10)', (r) => Math.exp(r.m / 10)],
  ];

  it('When two callers send 12 new expression shapes, then every answer is right and the node can still compile scripts for others', async () => {
    // A new rate also gives the node a new script cache: every shape is new to it.
    await setLimits({ 'script.max_compilations_rate': '8/5m' });
    const { url, server } = await listen({ analyzeCompilationsPer5m: 4, analyzeCompilationsPerIdentityPer5m: 2 });
    try {
      for (const [i, [expr, f]] of SHAPES.entries()) {
        const ip = i < 6 ? '10.1.0.1' : '10.1.0.2';
        const path = `/api/records/1.0/analyze/?dataset=bulk&x=group&y.s.func=SUM&y.s.expr=${encodeURIComponent(expr)}`;
        const res = await start(url, path, ip, true);
        const text = await res.body;
        expect({ expr, status: res.res.statusCode }).toEqual({ expr, status: 200 });
        const got = JSON.parse(text) as { x: string; s: number }[];
        for (const g of ['g0', 'g1', 'g2']) {
          const expected = ROWS.filter((r) => r.group === g).reduce((s, r) => s + f(r), 0);
          expect(got.find((b) => b.x === g)!.s).toBeCloseTo(expected, 6);
        }
      }
      // Another application compiles a new inline script on the node: its budget is not spent.
      const other = await client.search({
        index: names.recordsAlias('bulk'),
        body: { size: 0, aggs: { s: { sum: { script: { lang: 'painless', source: `doc['fields.n'].value * 3 + ${Date.now() % 1000}` } } } } },
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await closeServer(server);
    }
  });
});
