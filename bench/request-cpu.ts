/**
 * `node .local/bench-dist/bench/request-cpu.js [path ...]`: the gateway's CPU time per request, per
 * endpoint (its process's utime + stime from /proc over an autocannon run at concurrency 16), and the
 * same for a minimal Node proxy (one keep-alive POST of the gateway's own DSL to OpenSearch, the JSON
 * parsed and serialised again) next to OpenSearch answering that DSL directly. Not part of `npm run bench`.
 * Default paths: /healthz, a dataset lookup and three searches on geonames-cities.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { start } from '../src/main';
import { capture, CITIES_QS } from './cases';
import { captureProxy, detectRedis, listenPort, OPENSEARCH, startGateway } from './gateway';
import { PREFIX } from './ingest';
import { autocannon } from './measure';

const SECONDS = 6;

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

async function perRequest(url: string, pid: number): Promise<{ rps: number; ms: number }> {
  await autocannon(url, 16, 2);
  const before = cpuSeconds(pid);
  const r = await autocannon(url, 16, SECONDS);
  return { rps: r.rps, ms: ((cpuSeconds(pid) - before) / (r.rps * SECONDS)) * 1000 };
}

async function main(): Promise<void> {
  const paths = process.argv.length > 2 ? process.argv.slice(2) : [
    '/healthz',
    '/api/datasets/1.0/geonames-cities/',
    '/api/records/1.0/search?dataset=geonames-cities&rows=0',
    '/api/records/1.0/search?dataset=geonames-cities&rows=10',
    `/api/records/1.0/search?${encodeURI(CITIES_QS)}`,
  ];
  await detectRedis();
  const gw = await startGateway(OPENSEARCH, PREFIX);
  try {
    for (const p of paths) {
      const r = await perRequest(gw.url + p, gw.pid);
      process.stdout.write(`gateway ${p}: ${r.rps.toFixed(0)} req/s, ${r.ms.toFixed(2)} ms of CPU per request\n`);
    }
  } finally {
    await gw.stop();
  }

  // The floor of any Node hop: a minimal proxy sending the gateway's DSL for the cities search.
  const proxy = await captureProxy();
  const cap = await start({ ...process.env, PORT: String(await listenPort()), OPENSEARCH_URL: proxy.url, INDEX_PREFIX: PREFIX, LOG_LEVEL: 'warn' });
  let dsl;
  try {
    dsl = (await capture(`http://127.0.0.1:${(cap.server.address() as AddressInfo).port}`, `/api/records/1.0/search?${encodeURI(CITIES_QS)}`, proxy.take))[0]!;
  } finally {
    await cap.stop();
    await proxy.close();
  }
  const target = new URL(OPENSEARCH);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const minimal = createServer((_req, res) => {
    const up = request({ host: target.hostname, port: target.port, method: 'POST', path: dsl.path, agent, headers: { 'content-type': 'application/json' } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        const j = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { hits: { total: { value: number }; hits: unknown[] }; aggregations?: unknown };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ nhits: j.hits.total.value, records: j.hits.hits, aggregations: j.aggregations }));
      });
    });
    up.on('error', () => res.destroy());
    up.end(dsl.body);
  });
  const mport = await listenPort();
  await new Promise<void>((r) => minimal.listen(mport, '127.0.0.1', r));
  try {
    const m = await perRequest(`http://127.0.0.1:${(minimal.address() as AddressInfo).port}/`, process.pid);
    const d = await autocannon(OPENSEARCH + dsl.path, 16, SECONDS, dsl.body);
    process.stdout.write(`minimal Node proxy, same DSL: ${m.rps.toFixed(0)} req/s (${(m.rps / d.rps).toFixed(2)}× direct), ~${m.ms.toFixed(2)} ms of CPU per request (this process, autocannon runs in a child)\n`);
    process.stdout.write(`OpenSearch direct: ${d.rps.toFixed(0)} req/s\n`);
  } finally {
    minimal.close();
    agent.destroy();
  }
}

if (require.main === module) void main();
