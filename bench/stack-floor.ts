/**
 * What each part of the chosen stack costs by itself, on one request OpenSearch answers in about a
 * millisecond (a `size: 0` match_all on geonames-cities): the CPU per request of five servers in this
 * process, each answering every request with that one OpenSearch request, at concurrency 16
 * (autocannon in a child process):
 *
 *   node http + http.request          the minimal proxy of case 0
 *   Express 5 + http.request          Express's share (one middleware, `res.json`)
 *   the same, answered with end()     Express's dispatch alone (node's writeHead/end, not res.json)
 *   node http + client.transport      the OpenSearch client's share (src/opensearch/client.ts)
 *   Express 5 + client.transport      the stack's floor of case 0
 *   node http + client.search         the client's API layer over its transport
 *
 * Each server runs twice, in mirrored order. `node .local/bench-dist/bench/stack-floor.js [seconds]`
 * after `npm run bench` (or `tsc -p bench/tsconfig.json`) and bench/load.js. Not part of `npm run bench`.
 */
import { createServer, request, Agent, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createOpenSearchClient } from '../src/opensearch/client';
import { indexNames } from '../src/datasets/index-names';
import { OPENSEARCH, listenPort } from './gateway';
import { PREFIX } from './ingest';
import { autocannon } from './measure';

const INDEX = indexNames(PREFIX).recordsAlias('geonames-cities');
const BODY = { size: 0, track_total_hits: true, query: { match_all: {} } };
const TEXT = JSON.stringify(BODY);
const target = new URL(OPENSEARCH);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH });

const plainSend = (): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const up = request({ host: target.hostname, port: target.port, method: 'POST', path: `/${INDEX}/_search`, agent, headers: { 'content-type': 'application/json' } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (x: Buffer) => chunks.push(x));
      r.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    up.on('error', reject);
    up.end(TEXT);
  });
const transportSend = async (): Promise<unknown> => (await client.transport.request({ method: 'POST', path: `/${INDEX}/_search`, body: BODY })).body;
const searchSend = async (): Promise<unknown> => (await client.search({ index: INDEX, body: BODY as never })).body;

let served = 0;
const bare = (send: () => Promise<unknown>): RequestListener => (_req, res) => {
  send().then(
    (b) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(b));
      served++;
    },
    () => res.destroy(),
  );
};
const viaExpress = (send: () => Promise<unknown>): RequestListener => {
  const app = express();
  app.use((_req, res, next) => {
    send().then((b) => {
      res.json(b);
      served++;
    }, next);
  });
  return app;
};

/** Express's dispatch only: the answer written with node's own writeHead/end, not res.json. */
const viaExpressDispatch = (send: () => Promise<unknown>): RequestListener => {
  const app = express();
  app.use((_req, res, next) => {
    send().then((b) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(b));
      served++;
    }, next);
  });
  return app;
};

const SERVERS: [string, () => RequestListener][] = [
  ['node http + http.request (minimal proxy)', () => bare(plainSend)],
  ['Express 5 + http.request', () => viaExpress(plainSend)],
  ['Express 5 (dispatch only, node writeHead/end) + http.request', () => viaExpressDispatch(plainSend)],
  ['node http + OpenSearch client transport', () => bare(transportSend)],
  ['Express 5 + OpenSearch client transport (stack floor)', () => viaExpress(transportSend)],
  ['node http + OpenSearch client search()', () => bare(searchSend)],
];

async function cpuPerRequest(listener: RequestListener, seconds: number): Promise<number> {
  const server: Server = createServer(listener);
  const port = await listenPort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    await autocannon(url, 16, 2);
    const before = process.cpuUsage();
    const n0 = served;
    await autocannon(url, 16, seconds);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / (served - n0);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 4);
  const results = new Map<string, number[]>();
  for (const [label, make] of [...SERVERS, ...[...SERVERS].reverse()]) {
    results.set(label, [...(results.get(label) ?? []), await cpuPerRequest(make(), seconds)]);
  }
  const base = results.get(SERVERS[0]![0])!;
  const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [label, xs] of results) {
    process.stdout.write(`${label.padEnd(62)} ${xs.map((x) => x.toFixed(3)).join(' / ')} ms  (${(avg(xs) / avg(base)).toFixed(2)}× the minimal proxy)\n`);
  }
  agent.destroy();
  await client.close();
}

if (require.main === module) void main();
