/**
 * Benchmark (not a test): what writing whole doubles as `2.0` (src/responses/json-writer.ts) costs a
 * download, record by record as the streamed download renders them (render-hits.ts +
 * record-writers.ts), for JSON, GeoJSON and CSV, on a dataset with many double fields (the
 * earthquakes sample's layout; here about a third of the doubles are whole, so nearly every record
 * takes the field-by-field path). Each format is measured against a baseline in the same run: the
 * same rendering written the way it was before (JSON.stringify for JSON and GeoJSON, String() cells
 * for CSV). Variants run in interleaved rounds, so a busy machine slows them alike.
 *
 * Run:
 *   node ops/build-grammar.mjs && npx tsc -p bench/tsconfig.json
 *   node .local/bench-dist/bench/record-render.bench.js [rounds]
 */
import { parseDescriptor } from '../src/datasets/descriptor';
import { hitRenderer } from '../src/download/render-hits';
import { recordStreamWriter } from '../src/download/record-writers';
import type { Hit } from '../src/download/pit-pages';
import { csvWriter } from '../src/responses/formats/csv';
import { toFeature } from '../src/responses/formats/geojson';

const D = parseDescriptor({
  datasetid: 'quakes',
  metas: { title: 'Quakes' },
  fields: [
    { name: 'id', label: 'Id', type: 'text' },
    { name: 'time', label: 'Time', type: 'datetime' },
    { name: 'mag', label: 'Magnitude', type: 'double' },
    { name: 'depth', label: 'Depth', type: 'double' },
    { name: 'place', label: 'Place', type: 'text' },
    { name: 'tsunami', label: 'Tsunami', type: 'int' },
    { name: 'sig', label: 'Significance', type: 'int' },
    { name: 'felt', label: 'Felt', type: 'int' },
    { name: 'cdi', label: 'CDI', type: 'double' },
    { name: 'gap', label: 'Gap', type: 'double' },
    { name: 'rms', label: 'RMS', type: 'double' },
    { name: 'geo_point_2d', label: 'Location', type: 'geo_point_2d' },
  ],
});
/** The same schema with its doubles written as before (String cells): the CSV baseline. */
const D_BEFORE = { ...D, fields: D.fields.map((f) => (f.type === 'double' ? { ...f, type: 'int' as const } : f)) };
const FIELDS = D.fields.map((f) => f.name);
const PAGE = 1000;

/** A deterministic page of stored documents: about a third of the doubles are whole values. */
function page(): Hit[] {
  let seed = 11;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: PAGE }, (_, i) => ({
    _id: `r${i}`,
    _source: {
      recordid: `${i.toString(16).padStart(40, '0')}`,
      record_timestamp: '2024-05-15T10:30:00.000Z',
      fields: {
        id: `us${7000000 + i}`,
        time: new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 3e10)).toISOString(),
        mag: rnd() < 0.35 ? Math.floor(rnd() * 7) : Math.round(rnd() * 70) / 10,
        depth: rnd() < 0.35 ? Math.floor(rnd() * 600) : Math.round(rnd() * 6000) / 10,
        place: `${Math.floor(rnd() * 200)} km NE of Somewhere, Region ${i % 50}`,
        tsunami: rnd() < 0.1 ? 1 : 0,
        sig: Math.floor(rnd() * 1000),
        felt: Math.floor(rnd() * 100),
        cdi: rnd() < 0.5 ? Math.floor(rnd() * 9) : Math.round(rnd() * 90) / 10,
        gap: rnd() < 0.5 ? Math.floor(rnd() * 360) : rnd() * 360,
        rms: rnd(),
        geo_point_2d: { lat: rnd() * 180 - 90, lon: rnd() * 360 - 180 },
      },
    },
    sort: [i],
  })) as unknown as Hit[];
}

type Measure = () => number;

/** Records per CPU second of this process during about `seconds`. */
function round(fn: Measure, seconds: number): number {
  const wallEnd = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const cpu0 = process.cpuUsage();
  let n = 0;
  let sink = 0;
  while (process.hrtime.bigint() < wallEnd) {
    sink ^= fn();
    n += PAGE;
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink === 0.5) process.stdout.write('');
  return n / ((cpu.user + cpu.system) / 1e6);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const rounds = Number(process.argv[2] ?? 15);
  const hits = page();
  const renderJson = hitRenderer(D, { timezone: 'UTC', fields: FIELDS });
  const renderGeo = hitRenderer(D, { timezone: 'UTC', fields: FIELDS, geometry: 'shape' });
  const writer = (format: 'csv' | 'json' | 'geojson') =>
    recordStreamWriter(D, { format, separator: ';', labels: false, fields: FIELDS, restricted: false }, undefined);
  const json = writer('json');
  const geojson = writer('geojson');
  const csv = writer('csv');
  const csvBefore = csvWriter(D_BEFORE, { separator: ';', fields: FIELDS });
  const variants: Record<string, Measure> = {
    'JSON, before': () => hits.map((h) => JSON.stringify(renderJson(h))).join(',').length,
    'JSON, 2.0': () => json.records(hits.map(renderJson), 1).length,
    'GeoJSON, before': () => hits.map((h) => JSON.stringify(toFeature(renderGeo(h)))).join(',').length,
    'GeoJSON, 2.0': () => geojson.records(hits.map(renderGeo), 1).length,
    'CSV, before': () => hits.map((h) => csvBefore.row(renderJson(h))).join('').length,
    'CSV, 2.0': () => csv.records(hits.map(renderJson), 1).length,
  };
  for (const fn of Object.values(variants)) round(fn, 0.5); // warm-up
  const results: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < rounds; r += 1) for (const [k, fn] of Object.entries(variants)) results[k]!.push(round(fn, 0.2));
  const m = Object.fromEntries(Object.entries(results).map(([k, xs]) => [k, median(xs)]));
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const line = (f: string) => `  ${`${f}:`.padEnd(9)} ${fmt(m[`${f}, 2.0`]!)} records/s with 2.0, ${fmt(m[`${f}, before`]!)} before: ${(m[`${f}, 2.0`]! / m[`${f}, before`]!).toFixed(2)}× (target ≥ 0.8×)`;
  process.stdout.write(
    [
      `record-render bench: render + write of ${PAGE}-record pages, ${D.fields.length} fields (5 doubles, a third of them whole), median of ${rounds} interleaved 0.2 s rounds per CPU second, node ${process.version}`,
      line('JSON'),
      line('GeoJSON'),
      line('CSV'),
      '',
    ].join('\n'),
  );
}

if (require.main === module) main();
