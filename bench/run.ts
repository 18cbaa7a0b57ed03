/**
 * `npm run bench`: loads the flights once, then measures each case through the gateway and its baseline
 * in the same run and writes docs/benchmarks.md. Settings: BENCH_ROWS (default all 3,000,000),
 * BENCH_INGEST_ROWS (case 6 sample, default 200,000), BENCH_SECONDS (autocannon duration, default 10).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createOpenSearchClient } from '../src/opensearch/client';
import { start } from '../src/main';
import { capture, case1, SEARCH_QS, sequential, type Row } from './cases';
import { gatewayCsv, pitLoop } from './download';
import { captureProxy, OPENSEARCH, startGateway, type Captured } from './gateway';
import { ALIAS, bareBulk, ensureLoaded, oursOnSample, PREFIX } from './ingest';
import { writeReport } from './report';
import { supercluster } from './cluster';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const ROWS = num('BENCH_ROWS', 3_000_000);
const INGEST_ROWS = Math.min(ROWS, num('BENCH_INGEST_ROWS', 200_000));
const SECONDS = num('BENCH_SECONDS', 10);
const log = (s: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const began = Date.now();
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH, opensearchRequestTimeoutMs: 120_000 });
  const rows: Row[] = [];
  const notes: string[] = [];
  const load = await ensureLoaded(client, ROWS, log);
  log(`dataset: ${load.count} records (${load.reused ? 'already loaded' : `loaded in ${load.seconds.toFixed(0)} s`})`);

  // Capture the DSL the gateway sends (in-process gateway behind a recording proxy; not timed).
  const proxy = await captureProxy();
  const cap = await start({ ...process.env, PORT: '0', OPENSEARCH_URL: proxy.url, INDEX_PREFIX: PREFIX, LOG_LEVEL: 'warn', QUOTA_ANONYMOUS_DAILY_LIMIT: '1000000000' });
  const capUrl = `http://127.0.0.1:${(cap.server.address() as { port: number }).port}`;
  const PATHS = {
    search: `/api/records/1.0/search?${encodeURI(SEARCH_QS)}`,
    analyze: '/api/records/1.0/analyze?dataset=flights&x=date&precision=month&y.avg_delay.func=AVG&y.avg_delay.expr=delay',
    z3: '/api/records/1.0/geocluster?dataset=flights&clusterprecision=3',
    z8: '/api/records/1.0/geocluster?dataset=flights&clusterprecision=8',
  };
  const dsl: Record<string, Captured[]> = {};
  try {
    for (const [k, p] of Object.entries(PATHS)) dsl[k] = await capture(capUrl, p, proxy.take);
  } finally {
    await cap.stop();
    await proxy.close();
  }

  const gw = await startGateway(OPENSEARCH, PREFIX);
  try {
    log('case 1: search');
    rows.push(...(await case1(gw.url, dsl.search![0]!, SECONDS, log)));
    log('case 2: analyze');
    rows.push(...(await sequential('2. analyze x=month, AVG(delay)', gw.url, PATHS.analyze, dsl.analyze!, 5, ALIAS)));
    log('case 3: geocluster');
    rows.push(...(await sequential('3. geocluster zoom 3', gw.url, PATHS.z3, dsl.z3!, 5, ALIAS)));
    rows.push(...(await sequential('3. geocluster zoom 8', gw.url, PATHS.z8, dsl.z8!, 5, ALIAS)));
    const sc = await supercluster(OPENSEARCH, ALIAS, [3, 8], log);
    for (const z of [3, 8]) {
      const gms = Number(rows.find((r) => r[0].startsWith(`3. geocluster zoom ${z} (`) && r[0].includes('cache warm'))![1].split(' ')[0]);
      rows.push([`3. geocluster zoom ${z} vs Supercluster (download + index + getClusters)`, `${gms.toFixed(1)} ms`, `${sc[z]!.toFixed(0)} ms`, x(gms, sc[z]!), '—']);
    }
    log('case 4: download');
    const g = await gatewayCsv(`${gw.url}/api/records/1.0/download?dataset=flights&format=csv`, gw.pid, load.count);
    const d = await pitLoop(OPENSEARCH, ALIAS, 1000, true);
    const grps = g.records / g.seconds;
    const drps = d.records / d.seconds;
    rows.push([`4. download CSV: records/s (${g.records} records)`, grps.toFixed(0), drps.toFixed(0), x(grps, drps), `≥ 0.8×: ${grps >= 0.8 * drps ? 'met' : '**missed**'}`]);
    rows.push(['4. download: gateway RSS at 10 / 50 / 100 % (peak)', `${g.rss.p10.toFixed(0)} / ${g.rss.p50.toFixed(0)} / ${g.rss.p100.toFixed(0)} MB (${g.rss.peak.toFixed(0)})`, '—', '—', `< 200 MB: ${g.rss.peak < 200 ? 'met' : '**missed**'}`]);
  } finally {
    await gw.stop();
  }

  log('case 5: query language');
  const out = execFileSync(process.execPath, [join(__dirname, 'query-parse.bench.js'), '3'], { encoding: 'utf8' });
  const qps = (re: RegExp): number => Number((re.exec(out)?.[1] ?? 'NaN').replace(/,/g, ''));
  const cold = qps(/translate, cold:\s+([\d,]+)/);
  const base = qps(/baseline JSON.stringify\(DSL\):\s+([\d,]+)/);
  rows.push(['5. parse + check + translate, cold (queries/s)', cold.toFixed(0), `${base.toFixed(0)} (JSON.stringify of the DSL)`, x(cold, base), `≥ 20,000 q/s: ${cold >= 20_000 ? 'met' : '**missed**'}`]);

  log(`case 6: ingest, ${INGEST_ROWS} rows each`);
  const ours = await oursOnSample(client, INGEST_ROWS);
  const bare = await bareBulk(client, INGEST_ROWS);
  const o = ours.rows / ours.seconds;
  const b = bare.rows / bare.seconds;
  rows.push([`6. ingest rows/s (${INGEST_ROWS} rows)`, o.toFixed(0), b.toFixed(0), x(o, b), `≥ 0.8×: ${o >= 0.8 * b ? 'met' : '**missed**'}`]);
  if (!load.reused) notes.push(`The full load of ${load.rows} rows took ${load.seconds.toFixed(0)} s (${(load.rows / load.seconds).toFixed(0)} rows/s).`);
  await client.close();
  const minutes = (Date.now() - began) / 60_000;
  await writeReport({ rows, notes, rowsAsked: ROWS, count: load.count, minutes, dsl });
  log(`done in ${minutes.toFixed(1)} min; docs/benchmarks.md written`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
