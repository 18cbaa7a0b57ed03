/**
 * What each part of the chosen stack costs by itself, on one request OpenSearch answers in about a
 * millisecond (a `size: 0` match_all on geonames-cities): the CPU per request of six servers in this
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
import { createOpenSearchClient } from '../src/opensearch/client';
import { indexNames } from '../src/datasets/index-names';
import { OPENSEARCH, type Captured } from './gateway';
import { PREFIX } from './ingest';
import { clientSender, httpSender, inProcessCpu, serveBare, serveExpress, type Sender, type Side } from './request-cpu';

const INDEX = indexNames(PREFIX).recordsAlias('geonames-cities');
const BODY = { size: 0, track_total_hits: true, query: { match_all: {} } };
const REQS: Captured[] = [{ method: 'POST', path: `/${INDEX}/_search`, body: JSON.stringify(BODY) }];

/** The client's API layer over its transport: `client.search()`. */
function searchSender(): Sender {
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH });
  return { send: async () => (await client.search({ index: INDEX, body: BODY as never })).body, close: () => void client.close() };
}

const SERVERS: [string, () => Promise<Side>][] = [
  ['node http + http.request (minimal proxy)', () => serveBare(httpSender(REQS, undefined))],
  ['Express 5 + http.request', () => serveExpress(httpSender(REQS, undefined))],
  ['Express 5 (dispatch only, node writeHead/end) + http.request', () => serveExpress(httpSender(REQS, undefined), true)],
  ['node http + OpenSearch client transport', () => serveBare(clientSender(REQS, undefined))],
  ['Express 5 + OpenSearch client transport (stack floor)', () => serveExpress(clientSender(REQS, undefined))],
  ['node http + OpenSearch client search()', () => serveBare(searchSender())],
];

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 4);
  const results = new Map<string, number[]>();
  for (const [label, make] of [...SERVERS, ...[...SERVERS].reverse()]) {
    const side = await make();
    try {
      await inProcessCpu(side, 2);
      results.set(label, [...(results.get(label) ?? []), (await inProcessCpu(side, seconds)).ms]);
    } finally {
      await side.close();
    }
  }
  const base = results.get(SERVERS[0]![0])!;
  const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [label, xs] of results) {
    process.stdout.write(`${label.padEnd(62)} ${xs.map((x) => x.toFixed(3)).join(' / ')} ms  (${(avg(xs) / avg(base)).toFixed(2)}× the minimal proxy)\n`);
  }
}

if (require.main === module) void main();
