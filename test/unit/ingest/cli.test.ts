/**
 * The ingest command without OpenSearch: usage errors, descriptor errors, dry runs with rejects, an
 * unreachable node. (Loads against a real node are in test/integration/ingest-*.int.test.ts.)
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runIngestCli } from '../../../src/cli/ingest';

const FIX = join(__dirname, '../../fixtures/ingest');
const tmp = mkdtempSync(join(tmpdir(), 'ingest-cli-'));

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

async function run(args: string[], env: Record<string, string> = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await runIngestCli(args, { stdout, stderr, env: { OPENSEARCH_URL: 'http://127.0.0.1:9', ...env } });
  return { code, out: stdout.text, err: stderr.text };
}

describe('ingest CLI (no OpenSearch needed)', () => {
  it.each([
    [[], /give a file to load, or --sample <name>, or --all-samples/],
    [['x.csv'], /--dataset <id> is required/],
    [['x.csv', '--dataset', 'Bad Id'], /invalid dataset id "Bad Id"/],
    [['missing.csv', '--dataset', 'x'], /Source file not found: missing.csv/],
    [['--bogus'], /unknown option '--bogus'/],
    [[join(FIX, 'bad-rows.csv'), '--dataset', 'x', '--format', 'xlsx'], /Allowed choices are csv, json, ndjson, geojson, parquet/],
    [['--sample', 'movies', '--all-samples'], /one of them/],
  ])('exits 2 on usage errors: %j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('lists every problem of an invalid descriptor and exits 2', async () => {
    const r = await run([join(FIX, 'bad-rows.csv'), '--dataset', 'x', '--descriptor', join(FIX, 'invalid-descriptor.json'), '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid-descriptor.json');
    expect(r.err).toMatch(/datasetid: dataset ids are lower-case/);
    expect(r.err).toMatch(/metas.title: /);
    expect(r.err).toMatch(/fields.0.name: field names are lower-case/);
    expect(r.err).toMatch(/fields.1.type: /);
  });

  it('exits 2 on an invalid configuration', async () => {
    const r = await run([join(FIX, 'bad-rows.csv'), '--dataset', 'x'], { INDEX_PREFIX: 'Bad Prefix' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/INDEX_PREFIX/);
  });

  it('writes the rejects with their line numbers and exits 1 (dry run)', async () => {
    const rejects = join(tmp, 'rejects.ndjson');
    const r = await run([join(FIX, 'bad-rows.csv'), '--dataset', 'ingest-rejects-test', '--descriptor', join(FIX, 'bad-rows.json'), '--rejects', rejects, '--dry-run', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ingest-rejects-test: 8 rows read, 3 valid \(dry run\), 5 rejected/);
    const lines = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; reason: string; row: unknown });
    expect(lines.map((l) => [l.line, l.reason])).toEqual([
      [3, 'field "count": expected an integer, got "ten"'],
      [4, 'field "day": expected a date (YYYY-MM-DD, YYYY/MM/DD, "Jun 12 1998"...), got "2020-02-30"'],
      [7, 'field "position": latitude 95 is outside [-90, 90] in "95,2.35"'],
      [8, 'line has 8 values but the header has 7 columns'],
      [11, 'field "ratio": expected a number, got "abc"'],
    ]);
    expect(lines[0]?.row).toEqual({ id: '2', name: 'Bad int', count: 'ten', ratio: '1.5', day: '2020-01-02', at: '2020-01-02T10:00:00Z', position: '48.85,2.35' });
  });

  it('exits 0 with --accept-rejects, and infers and writes a descriptor without one', async () => {
    const written = join(tmp, 'inferred.json');
    const r = await run([join(FIX, 'bad-rows.csv'), '--dataset', 'x', '--dry-run', '--accept-rejects', '--write-descriptor', written, '--rejects', join(tmp, 'r2.ndjson'), '--no-progress']);
    expect(r.code).toBe(0);
    const d = JSON.parse(readFileSync(written, 'utf8')) as { datasetid: string; fields: { name: string; type: string }[] };
    expect(d.datasetid).toBe('x');
    expect(d.fields.map((f) => f.name)).toEqual(['id', 'name', 'count', 'ratio', 'day', 'at', 'position']);
    expect(r.err).toMatch(/inferred 7 fields/);
  });

  it('says in one line that OpenSearch is unreachable, with the URL, and exits 1', async () => {
    const r = await run([join(FIX, 'bad-rows.csv'), '--dataset', 'x', '--descriptor', join(FIX, 'bad-rows.json')], { OPENSEARCH_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('error: OpenSearch is unreachable at http://127.0.0.1:9. Start it with npm run opensearch:start, or set OPENSEARCH_URL.');
  });

  it('prints the help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: ingest \[options\] \[file\]/);
    expect(existsSync(join(tmp, 'nothing'))).toBe(false);
  });
});
