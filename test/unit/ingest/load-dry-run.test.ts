/** loadDataset without OpenSearch (dry run): rejects, inference, a source that fails. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexNames } from '../../../src/datasets/index-names';
import { formatSummary, loadDataset, LoadError } from '../../../src/ingest/load';
import type { SourceRow } from '../../../src/ingest/types';

const tmp = mkdtempSync(join(tmpdir(), 'ingest-load-'));
const names = indexNames('unit');

async function* rows(items: SourceRow[], throwAt?: number): AsyncGenerator<SourceRow> {
  for (const [i, r] of items.entries()) {
    if (i === throwAt) throw new Error('disk on fire');
    yield r;
  }
}

describe('loadDataset (dry run)', () => {
  const items: SourceRow[] = [
    { line: 1, row: { city: 'Paris', pop: '2133111' } },
    { line: 2, row: { city: 'Lyon', pop: '522250' } },
    { line: 3, error: 'invalid JSON: Unexpected token', raw: '{oops' },
    { line: 4, row: { city: 'Nowhere', pop: 'many' } },
  ];

  it('infers the descriptor, checks every row and writes the rejects', async () => {
    const rejectsPath = join(tmp, 'rejects.ndjson');
    const logs: string[] = [];
    const r = await loadDataset({ names, datasetId: 'cities', source: { rows: rows(items), name: 'test rows' }, dryRun: true, rejectsPath, inferSampleSize: 2, log: (l) => logs.push(l), now: () => new Date('2026-11-27T10:15:00Z') });
    expect(r).toMatchObject({ rowsRead: 4, rowsLoaded: 0, rowsRejected: 2, dryRun: true, loadTime: '2026-11-27T10:15:00.000Z', alias: 'unit-records-cities' });
    expect(r.descriptor.fields.map((f) => [f.name, f.type])).toEqual([
      ['city', 'text'],
      ['pop', 'int'],
    ]);
    expect(logs[0]).toBe('inferred 2 fields from 2 rows: city (text), pop (int)');
    expect(readFileSync(rejectsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { line: 3, reason: 'invalid JSON: Unexpected token', row: '{oops' },
      { line: 4, reason: 'field "pop": expected an integer, got "many"', row: { city: 'Nowhere', pop: 'many' } },
    ]);
    expect(formatSummary(r)).toMatch(/^cities: 4 rows read, 2 valid \(dry run\), 2 rejected \(.*rejects.ndjson\) in \d+\.\d s/);
  });

  it('fails with the source error when the source breaks', async () => {
    await expect(loadDataset({ names, datasetId: 'cities', source: { rows: rows(items, 2) }, dryRun: true, rejectsPath: join(tmp, 'r2.ndjson') })).rejects.toThrow('disk on fire');
  });

  it('needs a client for a real load, and readable rows to infer from', async () => {
    await expect(loadDataset({ names, datasetId: 'x', source: { rows: rows(items) }, rejectsPath: join(tmp, 'r3.ndjson') })).rejects.toThrow(LoadError);
    await expect(loadDataset({ names, datasetId: 'x', source: { rows: rows([{ line: 1, error: 'bad' }]) }, dryRun: true })).rejects.toThrow(/no readable row in the first 1 items/);
  });
});
