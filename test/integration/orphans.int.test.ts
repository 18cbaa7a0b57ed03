/**
 * Indices left by loads killed before their alias swap (src/datasets/orphans.ts) are deleted at the
 * start of the next load of ANY dataset, and at the start of the gateway; a load in progress elsewhere
 * (a live lease) and older versions kept on purpose are left alone. On the real node, under a
 * throwaway prefix. (The reliability suite kills a real ingest process half-way.)
 */
import type { Client } from '@opensearch-project/opensearch';
import { buildIndexBody } from '../../src/datasets/mapping';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { indexNames } from '../../src/datasets/index-names';
import { newIndexVersion } from '../../src/datasets/index-admin';
import { findOrphanIndices, loadLeaseIndexName } from '../../src/datasets/orphans';
import { loadDataset } from '../../src/ingest';
import type { SourceRow } from '../../src/ingest/types';
import { start } from '../../src/main';
import { createOpenSearchClient } from '../../src/opensearch/client';

jest.setTimeout(120_000);
const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const names = indexNames(`itorphan${Date.now().toString(36)}`);
let client: Client;

const descriptor = (id: string) => parseDescriptor({ datasetid: id, metas: { title: id }, fields: [{ name: 'n', label: 'N', type: 'int' }] });
const rows = (n: number) =>
  (async function* (): AsyncGenerator<SourceRow> {
    for (let i = 0; i < n; i += 1) yield { line: i + 1, row: { n: i } };
  })();
const load = (id: string) => loadDataset({ client, names, datasetId: id, descriptor: descriptor(id), source: { rows: rows(3) }, log: () => {} });

/** What a load killed after creating its index leaves: the index (refresh off, no alias). */
async function leftByKilledLoad(id: string, at: Date): Promise<string> {
  const index = names.recordsIndex(id, newIndexVersion(at));
  await client.indices.create({ index, body: buildIndexBody(descriptor(id), { replicas: 0, refreshInterval: '-1' }) as never });
  return index;
}

async function lease(dataset: string, from: Date, heartbeat: Date): Promise<void> {
  await client.index({
    index: loadLeaseIndexName(names),
    body: { dataset, from_version: newIndexVersion(from), heartbeat_at: heartbeat.toISOString(), started_at: from.toISOString(), host: 'elsewhere', pid: 1 } as never,
    refresh: true,
  });
}

const exists = async (index: string): Promise<boolean> => (await client.indices.exists({ index })).body === true;

beforeAll(() => {
  client = createOpenSearchClient({ opensearchUrl: URL });
});
afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await client.close();
});

describe('orphan indices', () => {
  it('are deleted by the next load of another dataset; a live load elsewhere and older versions are not', async () => {
    const a = await load('alpha');
    const publishedA = a.index!;
    const older = await leftByKilledLoad('alpha', new Date(Date.now() - 86_400_000)); // older than the published one
    const killed = await leftByKilledLoad('alpha', new Date(Date.now() + 1000));
    const stale = new Date(Date.now() - 10 * 60_000);
    await lease('alpha', new Date(Date.now() + 1000), stale); // the killed load's lease, no longer refreshed
    const neverPublished = await leftByKilledLoad('gamma', new Date()); // a first load killed: no alias at all
    const running = await leftByKilledLoad('delta', new Date());
    await lease('delta', new Date(Date.now() - 1000), new Date()); // a load in progress on another host
    expect(await findOrphanIndices(client, names)).toEqual([killed, neverPublished].sort());

    const b = await load('beta');
    expect({ killed: await exists(killed), neverPublished: await exists(neverPublished) }).toEqual({ killed: false, neverPublished: false });
    expect({ published: await exists(publishedA), older: await exists(older), running: await exists(running), beta: await exists(b.index!) }).toEqual({
      published: true,
      older: true,
      running: true,
      beta: true,
    });
    // beta's own lease is gone with its load
    await client.indices.refresh({ index: loadLeaseIndexName(names), expand_wildcards: 'all' } as never);
    const leases = (await client.search({ index: loadLeaseIndexName(names), body: { query: { term: { dataset: 'beta' } } } as never })).body as { hits: { hits: unknown[] } };
    expect(leases.hits.hits).toEqual([]);
  });

  it('are deleted when a gateway starts', async () => {
    const killed = await leftByKilledLoad('epsilon', new Date());
    const { stop } = await start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPENSEARCH_URL: URL, INDEX_PREFIX: names.prefix });
    try {
      for (let i = 0; i < 100 && (await exists(killed)); i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(await exists(killed)).toBe(false);
    } finally {
      await stop();
    }
  });
});
