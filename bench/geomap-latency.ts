/**
 * Benchmark (not a test): latency of the map endpoints of a shape dataset, as ods-map calls them, on a
 * running gateway over the us-counties sample (3,230 polygons). Each request runs `n` times in a row
 * after one warm-up; any answer but 200 stops the run.
 *
 *   npm run build && npx tsc -p bench/tsconfig.json
 *   node .local/bench-dist/bench/geomap-latency.js http://127.0.0.1:8080 [n]
 */
const CASES: [string, string][] = [
  ['geopreview, world (zoom 2), rows=1000 (the widget)', '/api/records/1.0/geopreview/?rows=1000&clusterprecision=2&geofilter.bbox=-84.9,-270,84.9,270&dataset=us-counties&timezone=UTC'],
  ['geopreview, world (zoom 1), every county (rows=5000)', '/api/records/1.0/geopreview/?rows=5000&clusterprecision=1&dataset=us-counties&timezone=UTC'],
  ['geopreview, contiguous US (zoom 4), rows=1000', '/api/records/1.0/geopreview/?rows=1000&clusterprecision=4&geofilter.bbox=24,-125,50,-66&dataset=us-counties&timezone=UTC'],
  ['geopolygon, US (zoom 3), SUM of the area', '/api/records/1.0/geopolygon/?clusterprecision=3&geofilter.bbox=17.31,-161.54,60.93,-46.93&y.serie1.expr=area_km2&y.serie1.func=SUM&dataset=us-counties&timezone=UTC'],
  ['boundingbox, US', '/api/records/1.0/boundingbox/?geofilter.bbox=17.31,-161.54,60.93,-46.93&dataset=us-counties&timezone=UTC'],
];

async function once(url: string): Promise<{ ms: number; bytes: number }> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${res.status} ${url}: ${Buffer.from(body).toString('utf8', 0, 200)}`);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: body.byteLength };
}

async function main(): Promise<void> {
  const base = process.argv[2] ?? 'http://127.0.0.1:8080';
  const n = Number(process.argv[3] ?? 20);
  const at = (xs: number[], q: number): number => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  process.stdout.write(`geomap latency on ${base}, ${n} requests each after a warm-up (ms)\n`);
  for (const [name, path] of CASES) {
    await once(base + path);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const r = await once(base + path);
      times.push(r.ms);
      bytes = r.bytes;
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`  ${name}: min ${at(times, 0).toFixed(0)}, median ${at(times, 0.5).toFixed(0)}, p90 ${at(times, 0.9).toFixed(0)}, max ${at(times, 1).toFixed(0)} (${(bytes / 1024).toFixed(0)} KB)\n`);
  }
}

if (require.main === module) void main();
