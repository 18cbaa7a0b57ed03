/**
 * `node .local/bench-dist/bench/load.js`: only the loads of `npm run bench` (flights, BENCH_ROWS rows,
 * and geonames-cities), then waits until OpenSearch merges nothing; for runs of one case by hand
 * (request-cpu.js, profile.js) on a fresh node.
 */
import { createOpenSearchClient } from '../src/opensearch/client';
import { OPENSEARCH } from './gateway';
import { ensureGeonames, ensureLoaded, settle } from './ingest';

const log = (s: string): void => void process.stderr.write(`[bench load ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

async function main(): Promise<void> {
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH, opensearchRequestTimeoutMs: 120_000 });
  const load = await ensureLoaded(client, Number(process.env.BENCH_ROWS ?? 3_000_000), log);
  log(`flights: ${load.count} records (${load.reused ? 'already loaded' : `loaded in ${load.seconds.toFixed(0)} s`})`);
  log(`geonames-cities: ${await ensureGeonames(client, log)} records`);
  await settle(client, log);
  await client.close();
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
