/**
 * Benchmark (not a test): parse + check + translate throughput of the query language on a mix of
 * realistic queries, against a baseline measured in the same run (JSON.stringify of the resulting
 * DSL, which the OpenSearch client pays on every request anyway).
 *
 * Run:
 *   node ops/build-grammar.mjs
 *   npx tsc --outDir /tmp/qbench --rootDir . --module nodenext --moduleResolution nodenext \
 *     --target es2022 --strict --allowJs --esModuleInterop --skipLibCheck \
 *     bench/query-parse.bench.ts src/query/generated/query-parser.js
 *   NODE_PATH=$PWD/node_modules node /tmp/qbench/bench/query-parse.bench.js [seconds]
 */
import { clearQueryCaches, compileQuery, parseQuery, type QueryContext } from '../src/query';
import type { FieldDescriptor } from '../src/datasets/descriptor';

const FIELDS: FieldDescriptor[] = [
  { name: 'title', label: 'Title', type: 'text' },
  { name: 'city', label: 'City', type: 'text' },
  { name: 'county', label: 'County', type: 'text' },
  { name: 'population', label: 'Population', type: 'int' },
  { name: 'area', label: 'Area', type: 'double' },
  { name: 'founded', label: 'Founded', type: 'date' },
  { name: 'date_time', label: 'Date', type: 'datetime' },
  { name: 'geo_point_2d', label: 'Location', type: 'geo_point_2d' },
  { name: 'geo_shape', label: 'Shape', type: 'geo_shape' },
  { name: 'image', label: 'Image', type: 'file' },
];

/** What clients send (docs/v1-api.md, What real clients send) plus the documented forms. */
const MIX = [
  'film',
  'film festival',
  '"film festival"',
  'paris OR lyon',
  '(film OR trees) AND paris',
  'NOT #null(image)',
  'county==wake',
  "recordid:'0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'",
  'population>=50000',
  'population:[1000 TO 20000] AND area<12.5',
  'city:paris',
  'founded<2026-12-13 AND founded>=2026-11-01',
  'date_time:[2020-01-01T10:00:00Z TO 2020-02-01T00:00:00Z]',
  'date_time>="2020-01-01 10:00"',
  'founded <= 2016/09',
  'date_time >= #now(days=-1)',
  'date_time >= #now(weeks=-2, weekday=1)',
  'date_time > #now(hours=-2)',
  '#distance(geo_point_2d, "48.85, 2.35", 1000)',
  '#distance("48.866667,2.333333", 1000)',
  '#polygon(geo_shape, "(48.8,2.2),(48.9,2.2),(48.9,2.4),(48.8,2.4)")',
  '#search(title, city, "Jean-C")',
  '#exact(city, "Paris") OR #startswith(title, "Le ")',
  '#geometry(geo_shape, "polygon")',
  'velib station -closed',
  'title:"la défense" AND NOT (county:seine OR population<100)',
];

const CTX: QueryContext = { schema: { fields: FIELDS }, now: new Date('2024-05-15T10:30:00Z') };

type Measure = (q: string) => unknown;

/** Operations per CPU second of this process (other processes on the machine do not count). */
function round(fn: Measure, seconds: number): number {
  const wallEnd = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const cpu0 = process.cpuUsage();
  let n = 0;
  let sink = 0;
  while (process.hrtime.bigint() < wallEnd) {
    for (const q of MIX) {
      sink ^= fn(q) === undefined ? 0 : 1;
      n++;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink === 42) process.stdout.write(''); // keep the results alive
  return n / ((cpu.user + cpu.system) / 1e6);
}

/**
 * Each measure runs in its own steady state (a warm-up, then rounds of 0.25 s), as a server running
 * that workload would, and reports its median round: robust to GC pauses and to a busy machine.
 */
function measure(fn: Measure, seconds: number): number {
  round(fn, 1); // warm-up: JIT, zone caches
  const rounds = Array.from({ length: Math.max(3, Math.round(seconds / 0.25)) }, () => round(fn, 0.25));
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
}

function main(): void {
  const seconds = Number(process.argv[2] ?? 3);
  const compiled = new Map(MIX.map((q) => [q, compileQuery(q, CTX)]));
  // Cold: every query parsed and computed from scratch, as if never seen (caches emptied first).
  const cold = (q: string): unknown => {
    clearQueryCaches();
    return compileQuery(q, CTX);
  };
  const parseCold = (q: string): unknown => {
    clearQueryCaches();
    return parseQuery(q, { parameter: 'q' }, 32);
  };
  round(cold, 2); // first warm-up of the whole pipeline
  const r = {
    baseline: measure((q) => JSON.stringify(compiled.get(q)), seconds),
    parseCold: measure(parseCold, seconds),
    cold: measure(cold, seconds),
    repeated: measure((q) => compileQuery(q, CTX), seconds),
  };
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const ratio = (n: number): string => `${(n / r.baseline).toFixed(3)}× baseline`;
  process.stdout.write(
    [
      `query-parse bench: ${MIX.length} queries, ${seconds}s per measure (median of 0.25 s rounds, per CPU second), node ${process.version}`,
      `  baseline JSON.stringify(DSL):        ${fmt(r.baseline)} ops/s`,
      `  parse only, cold:                    ${fmt(r.parseCold)} queries/s`,
      `  parse+check+translate, cold:         ${fmt(r.cold)} queries/s (${ratio(r.cold)}; target ≥ 20,000)`,
      `  parse+check+translate, repeated q:   ${fmt(r.repeated)} queries/s (${ratio(r.repeated)})`,
      '',
    ].join('\n'),
  );
}

main();
