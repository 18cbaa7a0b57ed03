/**
 * Rejected rows through the CLI entry function on a real node: the rejects file has the source line of
 * each bad row and the reason; without --accept-rejects the dataset is not published (exit 1); with it,
 * the valid rows are. Rows that OpenSearch itself refuses (a self-intersecting polygon) are rejects too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { closeTestContext, testContext, testEnv } from '../helpers/integration';
import { runIngestCli } from '../../src/cli/ingest';
import { aliasTargets, deleteDataset, getCatalogDoc, listVersionIndices } from '../../src/datasets/index-admin';
import { loadDataset } from '../../src/ingest/load';
import { parseDescriptor } from '../../src/datasets/descriptor';

// testTimeout is a global jest option: the integration project's value does not reach the tests
jest.setTimeout(120_000);
const ctx = testContext();
const FIX = join(__dirname, '../fixtures/ingest');
const tmp = mkdtempSync(join(tmpdir(), 'ingest-rejects-'));
const ID = 'ingest-rejects-test';
const SHAPES = 'ingest-drops-test';

function sink(): Writable & { text: string } {
  const w = new Writable({ write: (c, _e, cb) => ((w.text += String(c)), cb()) }) as Writable & { text: string };
  w.text = '';
  return w;
}
async function cli(args: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await runIngestCli(args, { stdout, stderr, env: testEnv() });
  return { code, out: stdout.text, err: stderr.text };
}
const readRejects = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; reason: string; row: any });

beforeAll(async () => {
  await deleteDataset(ctx.client, ctx.names, ID);
  await deleteDataset(ctx.client, ctx.names, SHAPES);
});
afterAll(async () => {
  await deleteDataset(ctx.client, ctx.names, ID);
  await deleteDataset(ctx.client, ctx.names, SHAPES);
  await closeTestContext();
});

describe('when a CSV file has bad rows', () => {
  const args = [join(FIX, 'bad-rows.csv'), '--dataset', ID, '--descriptor', join(FIX, 'bad-rows.json'), '--no-progress'];

  it('then the command exits 1, lists each bad row with its line, and publishes nothing', async () => {
    const rejects = join(tmp, 'r1.ndjson');
    const r = await cli([...args, '--rejects', rejects]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/5 rows rejected .* the dataset was not published/);
    expect(readRejects(rejects).map((x) => x.line)).toEqual([3, 4, 7, 8, 11]);
    expect(readRejects(rejects)[1]).toEqual({
      line: 4,
      reason: 'field "day": expected a date (YYYY-MM-DD, YYYY/MM/DD, "Jun 12 1998"...), got "2020-02-30"',
      row: { id: '3', name: 'Bad date', count: '3', ratio: '1.5', day: '2020-02-30', at: '2020-01-03T10:00:00Z', position: '48.85,2.35' },
    });
    expect(await aliasTargets(ctx.client, ctx.names.recordsAlias(ID))).toEqual([]);
    expect(await listVersionIndices(ctx.client, ctx.names, ID)).toEqual([]);
    expect(await getCatalogDoc(ctx.client, ctx.names, ID)).toBeUndefined();
  });

  it('then with --accept-rejects the valid rows are published and the command exits 0', async () => {
    const rejects = join(tmp, 'r2.ndjson');
    const r = await cli([...args, '--rejects', rejects, '--accept-rejects']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ingest-rejects-test: 8 rows read, 3 loaded, 5 rejected/);
    expect(readRejects(rejects)).toHaveLength(5);
    const res = await ctx.client.search({ index: ctx.names.recordsAlias(ID), body: { sort: [{ 'fields.id': 'asc' }] } as never });
    expect((res.body as any).hits.hits.map((h: any) => [h._source.fields.id, h._source.fields.name])).toEqual([
      [1, 'Étoile'],
      [4, 'Multi\nline'],
      [7, 'Fine'],
    ]);
    expect((await getCatalogDoc(ctx.client, ctx.names, ID))?.ingest?.rows_rejected).toBe(5);
  });
});

describe('when OpenSearch refuses some documents', () => {
  const descriptor = parseDescriptor({
    datasetid: SHAPES,
    metas: { title: 'Shapes' },
    fields: [
      { name: 'name', label: 'Name', type: 'text', annotations: [{ name: 'id' }] },
      { name: 'shape', label: 'Shape', type: 'geo_shape' },
    ],
  });
  const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
  const bowtie = { type: 'Polygon', coordinates: [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]] };

  it('then they are rejects with the OpenSearch reason and their line, and the others are loaded', async () => {
    const file = join(tmp, 'shapes.ndjson');
    writeFileSync(file, [{ name: 'ok', shape: square }, { name: 'bowtie', shape: bowtie }, { name: 'ok2', shape: square }].map((r) => JSON.stringify(r)).join('\n'));
    const rejectsPath = join(tmp, 'drops.ndjson');
    const r = await loadDataset({ client: ctx.client, names: ctx.names, datasetId: SHAPES, descriptor, source: { path: file }, rejectsPath });
    expect(r.rowsLoaded).toBe(2);
    expect(r.rowsRejected).toBe(1);
    const [reject] = readRejects(rejectsPath);
    expect(reject?.line).toBe(2);
    expect(reject?.reason).toMatch(/^OpenSearch rejected the document: mapper_parsing_exception: failed to parse field \[fields.shape\] of type \[geo_shape\].*Tessellate/);
    expect(reject?.row.fields.name).toBe('bowtie');
  });

  it('then a second row with the same recordid is merged into the first, reported, and not a reject', async () => {
    const file = join(tmp, 'dups.ndjson');
    writeFileSync(file, [{ name: 'a', shape: square }, { name: 'b' }, { name: 'a' }].map((r) => JSON.stringify(r)).join('\n'));
    const rejectsPath = join(tmp, 'dups-rejects.ndjson');
    const logs: string[] = [];
    const r = await loadDataset({ client: ctx.client, names: ctx.names, datasetId: SHAPES, descriptor, source: { path: file }, rejectsPath, acceptRejects: false, log: (l) => logs.push(l) });
    expect([r.rowsLoaded, r.rowsRejected, r.duplicates, r.duplicateLines]).toEqual([2, 0, 1, [3]]);
    expect(readFileSync(rejectsPath, 'utf8')).toBe('');
    expect(logs).toContain('note: 1 row had the same recordid as an earlier row (identical values, or same id fields) and was merged into it; first at line 3');
    const res = await ctx.client.search({ index: ctx.names.recordsAlias(SHAPES), body: { query: { term: { 'fields.name.keyword': 'a' } } } as never });
    expect((res.body as any).hits.hits.map((h: any) => h._source.fields)).toEqual([{ name: 'a', shape: square }]); // the first row wins
  });
});
