/**
 * `npm run bench`: loads the flights and geonames-cities once, then measures each case through the gateway
 * and its baseline in the same run and writes docs/benchmarks.md. Settings: BENCH_ROWS (default all
 * 3,000,000), BENCH_INGEST_ROWS (case 6, default BENCH_ROWS), BENCH_SECONDS (autocannon duration, default 10).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOpenSearchClient } from '../src/opensearch/client';
import { start } from '../src/main';
import { capture, case1, CITIES_QS, SEARCH_QS, sequential, type Row } from './cases';
import { case4 } from './download';
import { captureProxy, detectRedis, listenPort, OPENSEARCH, startGateway, type Captured } from './gateway';
import { ALIAS, bareBulk, ensureGeonames, ensureLoaded, oursOnSample, prebuiltDocuments, PREFIX, settle } from './ingest';
import { indexNames } from '../src/datasets/index-names';
import { writeReport } from './report';
import { supercluster } from './cluster';
import { cpuRows, requestCpu } from './request-cpu';
import { cacheCases } from './cache-cases';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const ROWS = num('BENCH_ROWS', 3_000_000);
const INGEST_ROWS = Math.min(ROWS, num('BENCH_INGEST_ROWS', ROWS));
const SECONDS = num('BENCH_SECONDS', 10);
const log = (s: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const began = Date.now();
  const loadAtStart = readFileSync('/proc/loadavg', 'utf8').trim();
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH, opensearchRequestTimeoutMs: 120_000 });
  const rows: Row[] = [];
  const notes: string[] = [];
  const load = await ensureLoaded(client, ROWS, log);
  log(`dataset: ${load.count} records (${load.reused ? 'already loaded' : `loaded in ${load.seconds.toFixed(0)} s`})`);
  const cities = await ensureGeonames(client, log);
  const CITIES_ALIAS = indexNames(PREFIX).recordsAlias('geonames-cities');
  await settle(client, log);

  // Capture the DSL the gateway sends (in-process gateway behind a recording proxy; not timed).
  const proxy = await captureProxy();
  const cap = await start({ ...process.env, PORT: String(await listenPort()), OPENSEARCH_URL: proxy.url, INDEX_PREFIX: PREFIX, LOG_LEVEL: 'warn', QUOTA_ANONYMOUS_DAILY_LIMIT: '1000000000', RESPONSE_CACHE_MAX_BYTES: '0' });
  const capUrl = `http://127.0.0.1:${(cap.server.address() as { port: number }).port}`;
  const PATHS = {
    search: `/api/records/1.0/search?${encodeURI(SEARCH_QS)}`,
    analyze: '/api/records/1.0/analyze?dataset=flights&x=date&precision=month&y.avg_delay.func=AVG&y.avg_delay.expr=delay',
    // The same question in the Explore API v2.1 (docs/odsql.md).
    v21GroupBy: `/api/explore/v2.1/catalog/datasets/flights/records?select=${encodeURIComponent('avg(delay) as avg_delay')}&group_by=${encodeURIComponent('year(date), month(date)')}&limit=-1`,
    z3: '/api/records/1.0/geocluster?dataset=flights&clusterprecision=3',
    z8: '/api/records/1.0/geocluster?dataset=flights&clusterprecision=8',
    citiesSearch: `/api/records/1.0/search?${encodeURI(CITIES_QS)}`,
    citiesZ3: '/api/records/1.0/geocluster?dataset=geonames-cities&clusterprecision=3',
    citiesZ8: '/api/records/1.0/geocluster?dataset=geonames-cities&clusterprecision=8',
    // what a map sends at zoom 8: the visible bounds (1280×800 px around Paris)
    citiesZ8View: '/api/records/1.0/geocluster?dataset=geonames-cities&clusterprecision=8&geofilter.bbox=47.4,-1.2,50.3,5.8',
  };
  const dsl: Record<string, Captured[]> = {};
  try {
    for (const [k, p] of Object.entries(PATHS)) dsl[k] = await capture(capUrl, p, proxy.take);
  } finally {
    await cap.stop();
    await proxy.close();
  }

  notes.push(`Load average when the run began: ${loadAtStart} (the machine is shared: only same-run ratios mean anything).`);
  const redis = await detectRedis();
  notes.push(redis ? `The gateway ran with its quotas in Redis (${redis}), as in production.` : 'No Redis answered: the gateway ran with its in-process quota store.');
  // Cases 1-3 measure the request path: the response cache off (its own cases follow).
  const gw = await startGateway(OPENSEARCH, PREFIX, [], { RESPONSE_CACHE_MAX_BYTES: '0' });
  try {
    log('case 1: search');
    rows.push(...(await case1('1. search', gw.url, SEARCH_QS, dsl.search![0]!, SECONDS, log)));
    rows.push(...(await case1('1b. search geonames-cities', gw.url, CITIES_QS, dsl.citiesSearch![0]!, SECONDS, log)));
    log('case 2: analyze');
    rows.push(...(await sequential('2. analyze x=month, AVG(delay)', gw.url, PATHS.analyze, dsl.analyze!, 5, ALIAS)));
    rows.push(...(await sequential('2b. v2.1 group_by year(date), month(date), avg(delay)', gw.url, PATHS.v21GroupBy, dsl.v21GroupBy!, 5, ALIAS)));
    // v2.1 against v1 for the same question, both through the gateway, request cache warm.
    const warm = (prefix: string) => Number(rows.find((r) => r[0].startsWith(prefix) && r[0].includes('cache warm'))![1].split(' ')[0]);
    const [v21, v1] = [warm('2b. v2.1'), warm('2. analyze')];
    rows.push(['2b. v2.1 group_by vs v1 analyze (same question, both through the gateway)', `${v21.toFixed(1)} ms`, `${v1.toFixed(1)} ms`, x(v21, v1), '≤ 1.1×: ' + (v21 <= 1.1 * v1 ? 'met' : '**missed**')]);
    log('case 3: geocluster');
    rows.push(...(await sequential('3. geocluster zoom 3', gw.url, PATHS.z3, dsl.z3!, 5, ALIAS)));
    rows.push(...(await sequential('3. geocluster zoom 8', gw.url, PATHS.z8, dsl.z8!, 5, ALIAS)));
    rows.push(...(await sequential('3b. geocluster geonames-cities zoom 3', gw.url, PATHS.citiesZ3, dsl.citiesZ3!, 5, CITIES_ALIAS)));
    rows.push(...(await sequential('3b. geocluster geonames-cities zoom 8, a 1280×800 px map view', gw.url, PATHS.citiesZ8View, dsl.citiesZ8View!, 5, CITIES_ALIAS)));
    rows.push(...(await sequential('3b. geocluster geonames-cities zoom 8, whole world (no bbox)', gw.url, PATHS.citiesZ8, dsl.citiesZ8!, 3, CITIES_ALIAS)));
    const sc = await supercluster(OPENSEARCH, ALIAS, [3, 8], log);
    for (const z of [3, 8]) {
      const gms = Number(rows.find((r) => r[0].startsWith(`3. geocluster zoom ${z} (`) && r[0].includes('cache warm'))![1].split(' ')[0]);
      rows.push([`3. geocluster zoom ${z} vs Supercluster (download + index + getClusters)`, `${gms.toFixed(1)} ms`, `${sc[z]!.toFixed(0)} ms`, x(gms, sc[z]!), '—']);
    }
  } finally {
    await gw.stop();
  }
  log('case 0: CPU per request, gateway vs a minimal proxy');
  const cpu = await requestCpu(Math.max(3, Math.round(SECONDS / 2)), log);
  rows.unshift(...cpuRows(cpu));
  log('cases 1w-3w and 8: the response cache (warm cases, the dashboard)');
  rows.push(...(await cacheCases(SECONDS, dsl, PATHS, log)));
  // Case 4 on a fresh gateway per dataset: its memory is then the download's, not what the load tests
  // of cases 1–3 left in the V8 heap.
  log('case 4: download');
  for (const [label, dataset, index, expected] of [['4. download CSV', 'flights', ALIAS, load.count], ['4b. download CSV geonames-cities', 'geonames-cities', CITIES_ALIAS, cities]] as const) {
    const dgw = await startGateway(OPENSEARCH, PREFIX);
    try {
      rows.push(...(await case4(label, dgw, OPENSEARCH, index, dataset, expected, log)));
    } finally {
      await dgw.stop();
    }
  }

  log('case 5: query language');
  const out = execFileSync(process.execPath, [join(__dirname, 'query-parse.bench.js'), '3'], { encoding: 'utf8' });
  const qps = (re: RegExp): number => Number((re.exec(out)?.[1] ?? 'NaN').replace(/,/g, ''));
  const cold = qps(/translate, cold:\s+([\d,]+)/);
  const base = qps(/baseline JSON.stringify\(DSL\):\s+([\d,]+)/);
  rows.push(['5. parse + check + translate, cold (queries/s)', cold.toFixed(0), `${base.toFixed(0)} (JSON.stringify of the DSL)`, x(cold, base), `≥ 20,000 q/s: ${cold >= 20_000 ? 'met' : '**missed**'}`]);

  log(`case 6: ingest, ${INGEST_ROWS} rows each`);
  const docs = await prebuiltDocuments(INGEST_ROWS, log);
  await settle(client, log);
  const ours = await oursOnSample(client, INGEST_ROWS);
  await settle(client, log);
  const bare = await bareBulk(client, docs);
  log(`case 6: ours ${(ours.rows / ours.seconds).toFixed(0)} rows/s, bare ${(bare.rows / bare.seconds).toFixed(0)} rows/s`);
  const o = ours.rows / ours.seconds;
  const b = bare.rows / bare.seconds;
  rows.push([`6. ingest rows/s (${INGEST_ROWS} rows)`, o.toFixed(0), b.toFixed(0), x(o, b), `≥ 0.8×: ${o >= 0.8 * b ? 'met' : '**missed**'}`]);
  if (!load.reused) notes.push(`The full load of ${load.rows} rows took ${load.seconds.toFixed(0)} s (${(load.rows / load.seconds).toFixed(0)} rows/s).`);
  await client.close();
  const minutes = (Date.now() - began) / 60_000;
  await writeReport({ rows, notes, rowsAsked: ROWS, ingestRows: INGEST_ROWS, seconds: SECONDS, count: load.count, cities, minutes, dsl });
  log(`done in ${minutes.toFixed(1)} min; docs/benchmarks.md written`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
