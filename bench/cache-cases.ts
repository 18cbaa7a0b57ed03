/**
 * The response cache (docs/response-cache.md) in `npm run bench`: a gateway child with its cache on
 * (RESPONSE_CACHE_MAX_BYTES default, 64 MB), against OpenSearch answering the same DSL directly.
 *
 * - Warm cache: the URLs of cases 1b, 2 and 3, once the cache holds their answers (sequential medians
 *   as in cases 2-3, OpenSearch's own request cache warm on the direct side, and autocannon at c=16
 *   for the search).
 * - Dashboard: the requests an ods-widgets page over geonames-cities sends when it opens (the dataset
 *   context, the facets, the table, two charts, the map, the count; parameters as the widgets write
 *   them, see test/fixtures/client-corpus.ts), every connection sending the whole page in turn, from
 *   16 connections; the direct side sends every OpenSearch request those URLs cost the gateway
 *   (captured in steady state), in turn, from 16 connections. Pages per second on each side.
 */
import type { Row } from './cases';
import { CITIES_QS } from './cases';
import { OPENSEARCH, rssMb, startGateway, type Captured } from './gateway';
import { PREFIX } from './ingest';
import { autocannon, autocannonSequence, getOk, medianMs, replay } from './measure';
import { captureSteadyState } from './request-cpu';

const W = 'timezone=UTC';
export const DASHBOARD: string[] = [
  `/api/datasets/1.0/geonames-cities/?extrametas=true&interopmetas=true&source=&${W}`,
  `/api/records/1.0/search/?rows=0&facet=country_code&facet=feature_code&disjunctive.country_code=true&facetsort.country_code=-count&facetsort.feature_code=alphanum&dataset=geonames-cities&${W}`,
  `/api/records/1.0/search/?rows=20&start=0&sort=-population&fields=name,country_code,population,geo_point_2d&dataset=geonames-cities&${W}`,
  `/api/records/1.0/analyze/?x=country_code&y.serie1.expr=population&y.serie1.func=SUM&sort=-serie1&maxpoints=20&dataset=geonames-cities&${W}`,
  `/api/records/1.0/analyze/?x=feature_code&y.serie1.func=COUNT&dataset=geonames-cities&${W}`,
  `/api/records/1.0/geocluster/?clusterdistance=50&clusterprecision=4&geofilter.bbox=33.65,-46.23,57.66,56.25&return_polygons=true&dataset=geonames-cities&${W}`,
  `/api/records/1.0/search/?rows=0&dataset=geonames-cities&${W}`,
];

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const r2 = (x: number): string => `${x.toFixed(2)}×`;
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

export async function cacheCases(seconds: number, dsl: Record<string, Captured[]>, paths: Record<string, string>, log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const captured = await captureSteadyState(DASHBOARD);
  const direct = DASHBOARD.flatMap((p) => captured.get(p)!);
  log(`dashboard: ${DASHBOARD.length} URLs, ${direct.length} OpenSearch requests (${DASHBOARD.map((p) => captured.get(p)!.length).join(' + ')})`);
  const maxBytes = 64 * 1024 * 1024;
  const gw = await startGateway(OPENSEARCH, PREFIX, [], { RESPONSE_CACHE_MAX_BYTES: String(maxBytes) });
  try {
    // Warm cache, sequential (the cases 2-3 method; the direct side with OpenSearch's request cache warm).
    for (const [label, key] of [['2w. analyze x=month, AVG(delay)', 'analyze'], ['3w. geocluster zoom 3', 'z3'], ['3w. geocluster geonames-cities zoom 3', 'citiesZ3']] as const) {
      const g = await medianMs(5, () => getOk(gw.url + paths[key]!));
      const d = await medianMs(5, () => replay(OPENSEARCH, dsl[key]!));
      rows.push([`${label}, response cache warm (direct: request cache warm)`, ms(g), ms(d), r2(g / d), `≤ 1.1×: ${verdict(g <= 1.1 * d)}`]);
    }
    // Warm cache under load: the 1b search.
    const url1b = `${gw.url}/api/records/1.0/search?${encodeURI(CITIES_QS)}`;
    await getOk(url1b);
    const g1 = await autocannon(url1b, 16, seconds);
    const d1 = await autocannon(OPENSEARCH + dsl.citiesSearch![0]!.path, 16, seconds, dsl.citiesSearch![0]!.body);
    rows.push(['1w. search geonames-cities c=16, response cache warm: req/s', g1.rps.toFixed(0), d1.rps.toFixed(0), r2(g1.rps / d1.rps), `≥ 0.8×: ${verdict(g1.rps >= 0.8 * d1.rps)}`]);
    rows.push(['1w. search geonames-cities c=16, response cache warm: p50', ms(g1.p50), ms(d1.p50), r2(g1.p50 / Math.max(d1.p50, 0.5)), `≤ 1.2×: ${verdict(g1.p50 <= 1.2 * Math.max(d1.p50, 0.5))}`]);

    // The dashboard: gateway, direct, direct, gateway; averaged.
    for (const p of DASHBOARD) await getOk(gw.url + p);
    const gwReqs = DASHBOARD.map((p) => ({ method: 'GET', path: p }));
    const osReqs = direct.map((c) => ({ method: c.method, path: c.path, ...(c.body ? { body: c.body } : {}) }));
    const runs: { g: { pages: number; p99: number; p50: number; errors: number }[]; d: { pages: number; p99: number; p50: number; errors: number }[] } = { g: [], d: [] };
    for (const side of ['g', 'd', 'd', 'g'] as const) {
      const r = side === 'g' ? await autocannonSequence(gw.url, 16, seconds, gwReqs) : await autocannonSequence(OPENSEARCH, 16, seconds, osReqs);
      const perPage = side === 'g' ? gwReqs.length : osReqs.length;
      runs[side].push({ pages: r.total / perPage / seconds, p99: r.p99, p50: r.p50, errors: r.errors });
    }
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const g = { pages: avg(runs.g.map((x) => x.pages)), p99: avg(runs.g.map((x) => x.p99)), p50: avg(runs.g.map((x) => x.p50)) };
    const d = { pages: avg(runs.d.map((x) => x.pages)), p99: avg(runs.d.map((x) => x.p99)), p50: avg(runs.d.map((x) => x.p50)) };
    log(`dashboard: gateway ${JSON.stringify(runs.g)} direct ${JSON.stringify(runs.d)}`);
    const errors = [...runs.g, ...runs.d].reduce((a, x) => a + x.errors, 0);
    if (errors > 0) log(`  warning: ${errors} errors or non-2xx in the dashboard runs`);
    const label = `8. dashboard page (${DASHBOARD.length} widget requests = ${direct.length} OS requests) c=16`;
    rows.push([`${label}: pages/s`, g.pages.toFixed(1), d.pages.toFixed(1), r2(g.pages / d.pages), `≥ 3×: ${verdict(g.pages >= 3 * d.pages)}`]);
    rows.push([`${label}: p50 per request`, ms(g.p50), ms(d.p50), r2(g.p50 / Math.max(d.p50, 0.5)), '—']);
    rows.push([`${label}: p99 per request`, ms(g.p99), ms(d.p99), r2(g.p99 / Math.max(d.p99, 0.5)), `≤ 1×: ${verdict(g.p99 <= Math.max(d.p99, 1))}`]);
    const bytes = await metric(gw.url, 'ods_response_cache_bytes');
    const entries = await metric(gw.url, 'ods_response_cache_entries');
    rows.push([`${label}: response cache bytes (entries), gateway RSS`, `${(bytes / 1024).toFixed(0)} kB (${entries}), RSS ${rssMb(gw.pid).toFixed(0)} MB`, `${maxBytes / 1024 / 1024} MB bound`, '—', `within the bound: ${verdict(bytes <= maxBytes)}`]);
  } finally {
    await gw.stop();
  }
  return rows;
}
