/** Cases 1–3: the gateway's URL vs the same DSL replayed straight to OpenSearch. */
import { OPENSEARCH, type Captured } from './gateway';
import { autocannon, getOk, medianMs, replay, type Load } from './measure';

export type Row = [string, string, string, string, string]; // case, gateway, baseline, ratio, target

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const r2 = (x: number): string => `${x.toFixed(2)}×`;
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

export const SEARCH_QS =
  'dataset=flights&q=delay>30 AND distance<1500&facet=origin&facet=destination&geofilter.distance=39.5,-98.35,1500000&rows=10';
/** Full text on the names, two facets (one disjunctive), a geofilter: 135,233 cities. */
export const CITIES_QS =
  'dataset=geonames-cities&q=saint OR san&facet=country_code&facet=feature_code&geofilter.distance=40,-30,5000000&rows=10';

/** Captures the DSL the gateway sends for `path` (through the capturing gateway). */
export async function capture(gw: string, path: string, take: () => Captured[]): Promise<Captured[]> {
  await getOk(gw + path); // warm: permission rules and dataset cached as in steady state
  take();
  await getOk(gw + path);
  const c = take().filter((r) => r.path.includes('-records-'));
  if (c.length === 0) throw new Error(`no _search captured for ${path}`);
  return c;
}

const meanLoad = (xs: Load[]): Load => ({
  p50: xs.reduce((a, x) => a + x.p50, 0) / xs.length,
  p99: xs.reduce((a, x) => a + x.p99, 0) / xs.length,
  rps: xs.reduce((a, x) => a + x.rps, 0) / xs.length,
  errors: xs.reduce((a, x) => a + x.errors, 0),
});

/**
 * Latency and throughput of the gateway's search URL and of its DSL sent straight to OpenSearch, at
 * concurrency 1 and 16. Each side runs twice in the order gateway, direct, direct, gateway (ABBA), and
 * the two runs are averaged, so a slow phase of the machine weighs on both sides alike.
 */
export async function case1(label: string, gw: string, qs: string, dsl: Captured, seconds: number, log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of [1, 16]) {
    const runs: Record<'g' | 'd', Load[]> = { g: [], d: [] };
    for (const side of ['g', 'd', 'd', 'g'] as const) {
      runs[side].push(side === 'g' ? await autocannon(`${gw}/api/records/1.0/search?${encodeURI(qs)}`, c, seconds) : await autocannon(OPENSEARCH + dsl.path, c, seconds, dsl.body));
    }
    const g = meanLoad(runs.g);
    const d = meanLoad(runs.d);
    log(`${label} c=${c}: gateway ${JSON.stringify(runs.g)} direct ${JSON.stringify(runs.d)}`);
    if (g.errors + d.errors > 0) log(`  warning: ${g.errors} gateway / ${d.errors} direct errors or non-2xx`);
    rows.push([`${label} c=${c}: p50`, ms(g.p50), ms(d.p50), r2(g.p50 / Math.max(d.p50, 0.5)), `≤ 1.2×: ${verdict(g.p50 <= 1.2 * Math.max(d.p50, 0.5))}`]);
    rows.push([`${label} c=${c}: p99`, ms(g.p99), ms(d.p99), r2(g.p99 / Math.max(d.p99, 0.5)), '—']);
    rows.push([`${label} c=${c}: req/s`, g.rps.toFixed(0), d.rps.toFixed(0), r2(g.rps / d.rps), `≥ 0.8×: ${verdict(g.rps >= 0.8 * d.rps)}`]);
  }
  return rows;
}

/** A GET through the gateway vs the captured sequence replayed (and vs its first request alone when there are several). */
export async function sequential(label: string, gw: string, path: string, reqs: Captured[], n: number, index: string): Promise<Row[]> {
  const g = await medianMs(n, () => getOk(gw + path));
  const d = await medianMs(n, () => replay(OPENSEARCH, reqs));
  const rows: Row[] = [[`${label} (${reqs.length} OS request${reqs.length > 1 ? 's' : ''}), request cache warm`, ms(g), ms(d), r2(g / d), `≤ 1.1×: ${verdict(g <= 1.1 * d)}`]];
  // OpenSearch's shard request cache answers a repeated size:0 aggregation from memory: measure without it too.
  const clear = async (): Promise<void> => void (await fetch(`${OPENSEARCH}/${index}/_cache/clear?request=true`, { method: 'POST' }));
  const gc = await medianMs(n, () => getOk(gw + path), clear);
  const dc = await medianMs(n, () => replay(OPENSEARCH, reqs), clear);
  rows.push([`${label}, request cache cleared before each`, ms(gc), ms(dc), r2(gc / dc), `≤ 1.1×: ${verdict(gc <= 1.1 * dc)}`]);
  if (reqs.length > 1) {
    const first = await medianMs(n, () => replay(OPENSEARCH, reqs.slice(0, 1)));
    rows.push([`${label} vs its first aggregation alone`, ms(g), ms(first), r2(g / first), '—']);
  }
  return rows;
}
