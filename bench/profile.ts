/**
 * `node .local/bench-dist/bench/profile.js search [cities]|path <url path>|download [rows]|analyze|geocluster [zoom]`: the gateway child under --cpu-prof for one
 * workload, then the top self-time functions. Not part of `npm run bench` (a profiled run is slower).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CITIES_QS, SEARCH_QS } from './cases';
import { gatewayCsv } from './download';
import { OPENSEARCH, startGateway } from './gateway';
import { PREFIX } from './ingest';
import { autocannon, getOk } from './measure';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

export function top(file: string, n: number): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  for (const s of p.samples) {
    const f = byId.get(s)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|bench-dist)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / p.samples.length).toFixed(1)}%  ${k}`);
}

async function main(): Promise<void> {
  const what = process.argv[2] ?? 'search';
  const dir = join(__dirname, '..', '..', 'bench-prof');
  rmSync(dir, { recursive: true, force: true });
  // The response cache off: this profiles the request path (set RESPONSE_CACHE_MAX_BYTES to profile hits).
  const gw = await startGateway(OPENSEARCH, PREFIX, ['--cpu-prof', `--cpu-prof-dir=${dir}`], { RESPONSE_CACHE_MAX_BYTES: process.env.RESPONSE_CACHE_MAX_BYTES ?? '0' });
  try {
    if (what === 'path') await autocannon(`${gw.url}${process.argv[3] ?? '/api/records/1.0/search?dataset=geonames-cities&rows=0'}`, 16, 10);
    else if (what === 'search') await autocannon(`${gw.url}/api/records/1.0/search?${encodeURI(process.argv[3] === 'cities' ? CITIES_QS : SEARCH_QS)}`, 16, 10);
    else if (what === 'analyze') for (let i = 0; i < 200; i++) await getOk(`${gw.url}/api/records/1.0/analyze?dataset=flights&x=date&precision=month&y.avg_delay.func=AVG&y.avg_delay.expr=delay`);
    else if (what === 'geocluster') for (let i = 0; i < 200; i++) await getOk(`${gw.url}/api/records/1.0/geocluster?dataset=flights&clusterprecision=${process.argv[3] ?? 8}`);
    else await gatewayCsv(`${gw.url}/api/records/1.0/download?dataset=flights&format=csv&rows=${process.argv[3] ?? 500000}`, gw.pid, 1);
  } finally {
    await gw.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  process.stdout.write(`${what}: top self time in the gateway (${join(dir, file)})\n${top(join(dir, file), 25).join('\n')}\n`);
}

if (require.main === module) void main();
