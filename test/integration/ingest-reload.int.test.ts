/**
 * Reloads never show readers a half-loaded dataset: a load that fails half-way (the source throws, or
 * OpenSearch refuses too many documents) deletes its new index and leaves the alias on the old one, and
 * a successful reload swaps the alias with no moment where a reader sees nothing.
 */
import { closeTestContext, testContext } from '../helpers/integration';
import { loadDataset } from '../../src/ingest/load';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { aliasTargets, deleteDataset, listVersionIndices } from '../../src/datasets/index-admin';
import type { SourceRow } from '../../src/ingest/types';

// testTimeout is a global jest option: the integration project's value does not reach the tests
jest.setTimeout(120_000);
const ctx = testContext();
const ID = 'ingest-reload-test';
const alias = ctx.names.recordsAlias(ID);
const descriptor = parseDescriptor({
  datasetid: ID,
  metas: { title: 'Reload' },
  fields: [
    { name: 'n', label: 'N', type: 'int', annotations: [{ name: 'id' }] },
    { name: 'label', label: 'Label', type: 'text' },
    { name: 'shape', label: 'Shape', type: 'geo_shape' },
  ],
});

async function* rows(count: number, options: { throwAfter?: number; bowties?: boolean } = {}): AsyncGenerator<SourceRow> {
  for (let i = 1; i <= count; i += 1) {
    if (options.throwAfter !== undefined && i > options.throwAfter) throw new Error(`source broke after ${options.throwAfter} rows`);
    const row: Record<string, unknown> = { n: i, label: `row ${i} ${'x'.repeat(200)}` };
    if (options.bowties) row.shape = { type: 'Polygon', coordinates: [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]] };
    yield { line: i, row };
  }
}

const count = async (): Promise<number> => ((await ctx.client.count({ index: alias })).body as { count: number }).count;
const load = (source: AsyncIterable<SourceRow>, extra: Record<string, unknown> = {}) =>
  loadDataset({ client: ctx.client, names: ctx.names, datasetId: ID, descriptor, source: { rows: source }, flushBytes: 50_000, rejectsPath: `.local/tmp/${ID}-rejects.ndjson`, ...extra });

beforeAll(async () => {
  await deleteDataset(ctx.client, ctx.names, ID);
  await load(rows(500));
});
afterAll(async () => {
  await deleteDataset(ctx.client, ctx.names, ID);
  await closeTestContext();
});

describe('when a reload fails half-way', () => {
  it('because the source throws, then the old index still serves the old count and the new one is gone', async () => {
    const [old] = await aliasTargets(ctx.client, alias);
    await expect(load(rows(3000, { throwAfter: 1500 }))).rejects.toThrow('source broke after 1500 rows');
    expect(await aliasTargets(ctx.client, alias)).toEqual([old]);
    expect(await count()).toBe(500);
    expect((await listVersionIndices(ctx.client, ctx.names, ID)).map((v) => v.index)).toEqual([old]);
  });

  it('because OpenSearch refuses too many documents, then the load is abandoned the same way', async () => {
    const [old] = await aliasTargets(ctx.client, alias);
    await expect(load(rows(300, { bowties: true }), { maxBulkFailures: 10 })).rejects.toThrow(/OpenSearch rejected more than 10 documents/);
    expect(await aliasTargets(ctx.client, alias)).toEqual([old]);
    expect(await count()).toBe(500);
    expect((await listVersionIndices(ctx.client, ctx.names, ID)).map((v) => v.index)).toEqual([old]);
  });
});

describe('when a reload succeeds while readers count the alias', () => {
  it('then every read sees the old or the new count, never 0 nor an error', async () => {
    const seen: number[] = [];
    const errors: string[] = [];
    let loading = true;
    const reader = (async () => {
      while (loading) {
        try {
          seen.push(await count());
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    })();
    const r = await load(rows(5000));
    // a few more reads after the swap
    await new Promise((resolve) => setTimeout(resolve, 200));
    loading = false;
    await reader;
    expect(errors).toEqual([]);
    expect(seen.length).toBeGreaterThan(10);
    expect([...new Set(seen)].sort((a, b) => a - b)).toEqual([500, 5000]);
    expect(seen[seen.length - 1]).toBe(5000);
    expect(r.rowsLoaded).toBe(5000);
    expect(await listVersionIndices(ctx.client, ctx.names, ID)).toHaveLength(1);
  });
});
