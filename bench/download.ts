/** Case 4 (CSV download through the gateway child, RSS sampled) and the plain PIT + search_after loop. */
import type { Row } from './cases';
import { rssMb } from './gateway';

export interface DownloadResult { records: number; seconds: number; rss: { p10: number; p50: number; p100: number; peak: number } }

/** Streams the CSV, counting lines; RSS of `pid` read when 10 %, 50 % and 100 % of `expected` records have arrived. */
export async function gatewayCsv(url: string, pid: number, expected: number): Promise<DownloadResult> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`download: ${res.status}`);
  let lines = -1; // the header line
  const rss = { p10: NaN, p50: NaN, p100: NaN, peak: 0 };
  let next = 0.1;
  const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, rssMb(pid))), 100);
  try {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
      if (lines >= next * expected) {
        const m = rssMb(pid);
        if (next === 0.1) rss.p10 = m;
        else if (next === 0.5) rss.p50 = m;
        next = next === 0.1 ? 0.5 : 2;
      }
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rss.p100 = rssMb(pid);
  rss.peak = Math.max(rss.peak, rss.p100);
  return { records: lines, seconds, rss };
}

async function post(url: string, body: unknown, method = 'POST'): Promise<any> {
  const r = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j: unknown = await r.json();
  if (!r.ok) throw new Error(`${r.status} ${url}: ${JSON.stringify(j).slice(0, 300)}`);
  return j;
}

/** Every record of `index` through PIT + search_after (pages of `size`, _doc order as the gateway on one shard); `onHit` sees each source. */
export async function pitLoop(os: string, index: string, size: number, source: string[] | true, onHit?: (src: any) => void): Promise<{ records: number; seconds: number }> {
  const t0 = process.hrtime.bigint();
  let pit: string = (await post(`${os}/${index}/_search/point_in_time?keep_alive=1m`, {})).pit_id;
  let after: unknown[] | undefined;
  let records = 0;
  try {
    for (let page = 0; page < 1_000_000; page++) {
      const r = await post(`${os}/_search`, {
        size, _source: source, track_total_hits: false,
        pit: { id: pit, keep_alive: '1m' }, sort: [{ _doc: 'asc' }],
        ...(after ? { search_after: after } : {}),
      });
      pit = r.pit_id ?? pit;
      const hits = r.hits.hits as { _source: unknown; sort: unknown[] }[];
      if (hits.length === 0) break;
      records += hits.length;
      if (onHit) for (const h of hits) onHit(h._source);
      after = hits[hits.length - 1]!.sort;
    }
  } finally {
    await post(`${os}/_search/point_in_time`, { pit_id: [pit] }, 'DELETE').catch(() => undefined);
  }
  return { records, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/**
 * Case 4 for one dataset: the gateway's CSV download and the plain loop, each twice in the order gateway,
 * direct, direct, gateway (ABBA); records/s averaged per side, RSS from the gateway run with the higher peak.
 */
export async function case4(label: string, gw: { url: string; pid: number }, os: string, index: string, dataset: string, expected: number, log: (s: string) => void): Promise<Row[]> {
  await new Promise((r) => setTimeout(r, 1000));
  const idle = rssMb(gw.pid);
  const g: DownloadResult[] = [];
  const d: { records: number; seconds: number }[] = [];
  for (const side of ['g', 'd', 'd', 'g']) {
    if (side === 'g') g.push(await gatewayCsv(`${gw.url}/api/records/1.0/download?dataset=${dataset}&format=csv`, gw.pid, expected));
    else d.push(await pitLoop(os, index, 1000, true));
  }
  const rate = (xs: { records: number; seconds: number }[]): number => xs.reduce((a, x) => a + x.records / x.seconds, 0) / xs.length;
  const grps = rate(g);
  const drps = rate(d);
  const worst = g.reduce((a, x) => (x.rss.peak > a.rss.peak ? x : a));
  log(`${label}: gateway ${g.map((x) => (x.records / x.seconds).toFixed(0)).join(', ')} records/s; direct ${d.map((x) => (x.records / x.seconds).toFixed(0)).join(', ')}`);
  if (g.some((x) => x.records !== expected)) log(`  warning: the gateway sent ${g.map((x) => x.records).join(', ')} records, ${expected} expected`);
  return [
    [`${label}: records/s (${expected} records)`, grps.toFixed(0), drps.toFixed(0), `${(grps / drps).toFixed(2)}×`, `≥ 0.8×: ${grps >= 0.8 * drps ? 'met' : '**missed**'}`],
    [`${label}: gateway RSS idle, then at 10 / 50 / 100 % (peak)`, `${idle.toFixed(0)}, then ${worst.rss.p10.toFixed(0)} / ${worst.rss.p50.toFixed(0)} / ${worst.rss.p100.toFixed(0)} MB (${worst.rss.peak.toFixed(0)})`, '—', '—', `< 200 MB: ${worst.rss.peak < 200 ? 'met' : '**missed**'}`],
  ];
}
