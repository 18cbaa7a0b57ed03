/**
 * The gateway's CPU time per request, per endpoint, beside a minimal Node proxy's on the same work.
 *
 * - Gateway: a child process (`node main.js`, quotas in Redis when one answers, response cache OFF:
 *   this measures the request path, not the cache), its utime + stime from /proc over an autocannon
 *   run at concurrency 16, divided by the requests autocannon completed.
 * - Minimal proxy: an `http.createServer` in this process that sends the OpenSearch requests the
 *   gateway sends for that URL (captured once, in steady state) over a keep-alive agent, parses each
 *   answer and writes the last one back with JSON.stringify: the floor of any Node hop between a client
 *   and OpenSearch. Its CPU is `process.cpuUsage()` of this process (autocannon runs in a child).
 *
 * Each side runs twice in the order gateway, proxy, proxy, gateway and the two runs are averaged.
 * `node .local/bench-dist/bench/request-cpu.js [seconds]` prints the table; `npm run bench` includes it.
 */
import { readFileSync } from 'node:fs';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { start } from '../src/main';
import { createOpenSearchClient } from '../src/opensearch/client';
import { CITIES_QS, type Row } from './cases';
import { captureProxy, detectRedis, listenPort, OPENSEARCH, startGateway, type Captured } from './gateway';
import { PREFIX } from './ingest';
import { autocannon, getOk } from './measure';

export const CPU_CASES: { label: string; path: string }[] = [
  { label: 'dataset lookup', path: '/api/datasets/1.0/geonames-cities' },
  { label: 'search rows=0', path: '/api/records/1.0/search?dataset=geonames-cities&rows=0' },
  { label: 'search rows=10', path: '/api/records/1.0/search?dataset=geonames-cities&rows=10' },
  { label: 'search 1b (full text, 2 facets, geofilter)', path: `/api/records/1.0/search?${encodeURI(CITIES_QS)}` },
  { label: 'analyze x=month AVG(delay)', path: '/api/records/1.0/analyze?dataset=flights&x=date&precision=month&y.avg_delay.func=AVG&y.avg_delay.expr=delay' },
  { label: 'geocluster zoom 3', path: '/api/records/1.0/geocluster?dataset=flights&clusterprecision=3' },
];

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

/** Every OpenSearch request the gateway sends for each path once warm (dataset and rules cached). */
export async function captureSteadyState(paths: string[]): Promise<Map<string, Captured[]>> {
  const proxy = await captureProxy(true);
  const cap = await start({ ...process.env, PORT: String(await listenPort()), OPENSEARCH_URL: proxy.url, INDEX_PREFIX: PREFIX, LOG_LEVEL: 'warn', RESPONSE_CACHE_MAX_BYTES: '0', QUOTA_ANONYMOUS_DAILY_LIMIT: '1000000000' });
  const url = `http://127.0.0.1:${(cap.server.address() as AddressInfo).port}`;
  const out = new Map<string, Captured[]>();
  try {
    for (const p of paths) {
      await getOk(url + p);
      proxy.take();
      await getOk(url + p);
      out.set(p, proxy.take());
    }
  } finally {
    await cap.stop();
    await proxy.close();
  }
  return out;
}

/** An in-process server of the bench: its URL and how many requests it has answered. */
export interface Side { url: string; served(): number; close(): Promise<void> }

/** Sends a captured sequence to OpenSearch and resolves with the last answer (`answer` when there is none). */
export interface Sender { send(): Promise<unknown>; close(): void }

/** The minimal way: node's `http.request` over a keep-alive agent, each answer parsed with JSON.parse. */
export function httpSender(reqs: Captured[], answer: unknown): Sender {
  const target = new URL(OPENSEARCH);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const one = (c: Captured): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const up = request({ host: target.hostname, port: target.port, method: c.method, path: c.path, agent, headers: { 'content-type': 'application/json' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (x: Buffer) => chunks.push(x));
        r.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      up.on('error', reject);
      up.end(c.body || undefined);
    });
  return {
    send: async () => {
      let last = answer;
      for (const c of reqs) last = await one(c);
      return last;
    },
    close: () => agent.destroy(),
  };
}

/**
 * The project's OpenSearch client (built by src/opensearch/client.ts, as the gateway builds it), its
 * transport given the request bodies as objects, serialised by the client as the gateway's are.
 */
export function clientSender(reqs: Captured[], answer: unknown): Sender {
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH });
  const parsed = reqs.map((c) => (c.body ? { method: c.method, path: c.path, body: JSON.parse(c.body) as Record<string, unknown> } : { method: c.method, path: c.path }));
  return {
    send: async () => {
      let last = answer;
      for (const c of parsed) last = (await client.transport.request(c)).body;
      return last;
    },
    close: () => void client.close(),
  };
}

async function listenSide(server: Server, served: () => number, onClose: () => void): Promise<Side> {
  const port = await listenPort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    served,
    close: () =>
      new Promise((r) => {
        onClose();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Node's `http.createServer` answering every request with the sender's answer (writeHead + end). */
export function serveBare(sender: Sender): Promise<Side> {
  let served = 0;
  const server = createServer((_req, res) => {
    sender.send().then(
      (last) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(last));
        served++;
      },
      () => res.destroy(),
    );
  });
  return listenSide(server, () => served, () => sender.close());
}

/**
 * An Express 5 app with one handler answering every request with the sender's answer: with `res.json`,
 * or (`dispatchOnly`) with node's writeHead + end, to tell Express's dispatch from its response helpers.
 */
export function serveExpress(sender: Sender, dispatchOnly = false): Promise<Side> {
  let served = 0;
  const app = express();
  app.use((_req, res, next) => {
    sender.send().then((last) => {
      if (dispatchOnly) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(last));
      } else {
        res.json(last);
      }
      served++;
    }, next);
  });
  return listenSide(createServer(app), () => served, () => sender.close());
}

/**
 * The floor of the chosen stack for one captured sequence: Express 5 with one handler sending the same
 * OpenSearch requests through the project's client. No routing table, no middleware, no gateway logic:
 * what Express and the client cost by themselves, to tell the gateway's own cost from theirs.
 */
const stackFloor = (reqs: Captured[], answer: unknown): Promise<Side> => serveExpress(clientSender(reqs, answer));

/** The minimal proxy for one captured sequence; `answer` when the gateway sent nothing to OpenSearch. */
const minimalProxy = (reqs: Captured[], answer: unknown): Promise<Side> => serveBare(httpSender(reqs, answer));

export interface CpuResult {
  label: string;
  path: string;
  gatewayMs: number;
  proxyMs: number;
  /** The chosen stack's floor (Express 5 + the OpenSearch client, nothing else): stackFloor above. */
  floorMs: number;
  gatewayRps: number;
  proxyRps: number;
  osRequests: number;
}

const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** CPU ms per request of an in-process side over one autocannon run (autocannon is a child process). */
export async function inProcessCpu(side: Side, seconds: number): Promise<{ ms: number; rps: number }> {
  const before = process.cpuUsage();
  const n0 = side.served();
  const r = await autocannon(side.url, 16, seconds);
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000 / (side.served() - n0), rps: r.rps };
}

/** The table of CPU per request (gateway vs minimal proxy vs the stack's floor), `seconds` per run. */
export async function requestCpu(seconds: number, log: (s: string) => void, cases = CPU_CASES, gatewayEnv: Record<string, string> = {}): Promise<CpuResult[]> {
  const captured = await captureSteadyState(cases.map((c) => c.path));
  await detectRedis();
  const gw = await startGateway(OPENSEARCH, PREFIX, [], { RESPONSE_CACHE_MAX_BYTES: '0', ...gatewayEnv });
  const results: CpuResult[] = [];
  try {
    for (const c of cases) {
      const reqs = captured.get(c.path)!;
      const answer = (await (await fetch(gw.url + c.path)).json()) as unknown;
      const proxy = await minimalProxy(reqs, answer);
      const floor = await stackFloor(reqs, answer);
      try {
        const g: number[] = [];
        const m: number[] = [];
        const f: number[] = [];
        const grps: number[] = [];
        const mrps: number[] = [];
        await autocannon(gw.url + c.path, 16, 2);
        await autocannon(proxy.url, 16, 2);
        await autocannon(floor.url, 16, 2);
        // Each side twice, mirrored, so that a slow phase of the shared machine weighs on all alike.
        for (const side of ['g', 'm', 'f', 'f', 'm', 'g'] as const) {
          if (side === 'g') {
            const before = cpuSeconds(gw.pid);
            const r = await autocannon(gw.url + c.path, 16, seconds);
            g.push(((cpuSeconds(gw.pid) - before) / r.total!) * 1000);
            grps.push(r.rps);
          } else if (side === 'm') {
            const r = await inProcessCpu(proxy, seconds);
            m.push(r.ms);
            mrps.push(r.rps);
          } else {
            f.push((await inProcessCpu(floor, seconds)).ms);
          }
        }
        const res = { label: c.label, path: c.path, gatewayMs: avg(g), proxyMs: avg(m), floorMs: avg(f), gatewayRps: avg(grps), proxyRps: avg(mrps), osRequests: reqs.length };
        const ms = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join('/');
        log(`cpu ${c.label}: gateway ${ms(g)} ms, proxy ${ms(m)} ms, stack floor ${ms(f)} ms (${reqs.length} OS requests)`);
        results.push(res);
      } finally {
        await proxy.close();
        await floor.close();
      }
    }
  } finally {
    await gw.stop();
  }
  return results;
}

export function cpuRows(results: CpuResult[]): Row[] {
  const rows: Row[] = [];
  for (const r of results) {
    const what = `0. CPU per request, ${r.label} (${r.osRequests} OS request${r.osRequests === 1 ? '' : 's'})`;
    rows.push([what, `${r.gatewayMs.toFixed(2)} ms`, `${r.proxyMs.toFixed(2)} ms (minimal proxy)`, `${(r.gatewayMs / r.proxyMs).toFixed(2)}×`, `≤ 1.5×: ${r.gatewayMs <= 1.5 * r.proxyMs ? 'met' : '**missed**'}`]);
    rows.push([`${what}: the stack's floor (Express 5 + OpenSearch client, no gateway logic)`, `${r.floorMs.toFixed(2)} ms`, `${r.proxyMs.toFixed(2)} ms (minimal proxy)`, `${(r.floorMs / r.proxyMs).toFixed(2)}×`, '—']);
    rows.push([`${what}: gateway vs the stack's floor`, `${r.gatewayMs.toFixed(2)} ms`, `${r.floorMs.toFixed(2)} ms (stack floor)`, `${(r.gatewayMs / r.floorMs).toFixed(2)}×`, '—']);
  }
  return rows;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const only = process.argv.slice(3);
  const cases = only.length > 0 ? CPU_CASES.filter((c) => only.some((o) => c.label.includes(o))) : CPU_CASES;
  const results = await requestCpu(seconds, (s) => void process.stderr.write(`${s}\n`), cases);
  for (const r of results) {
    process.stdout.write(`${r.label}: gateway ${r.gatewayMs.toFixed(3)} ms (${r.gatewayRps.toFixed(0)} req/s), minimal proxy ${r.proxyMs.toFixed(3)} ms (${r.proxyRps.toFixed(0)} req/s): ${(r.gatewayMs / r.proxyMs).toFixed(2)}×; stack floor ${r.floorMs.toFixed(3)} ms (${(r.floorMs / r.proxyMs).toFixed(2)}× the proxy; gateway ${(r.gatewayMs / r.floorMs).toFixed(2)}× the floor)\n`);
  }
}

if (require.main === module) void main();
