/**
 * The push log in OpenSearch (src/push/push-log.ts) against the contract the in-memory log of the unit
 * tests follows, on a throwaway index prefix; and what it is made of: one shard, replicas by default.
 */
import type { Client } from '@opensearch-project/opensearch';
import { indexNames } from '../../src/datasets/index-names';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchPushLog, pushLogIndexName } from '../../src/push/push-log';
import { pushLogContract } from '../unit/push/push-log.contract';

const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const names = indexNames(`itpushlog${Date.now().toString(36)}`);
let client: Client;

beforeAll(() => {
  client = createOpenSearchClient({ opensearchUrl: URL });
});
afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await client.close();
});

describe('the push log contract, in OpenSearch', () => {
  pushLogContract(async () => openSearchPushLog(client, names));
});

describe('the push log index', () => {
  it('is hidden, has one shard (its _seq_no orders the log) and one replica as soon as there is a second node', async () => {
    const index = pushLogIndexName(names);
    const res = await client.indices.getSettings({ index, expand_wildcards: 'all' } as never);
    const settings = (res.body as Record<string, { settings: { index: Record<string, unknown> } }>)[index]!.settings.index;
    expect({ shards: settings.number_of_shards, auto: settings.auto_expand_replicas, hidden: settings.hidden }).toEqual({ shards: '1', auto: '0-1', hidden: 'true' });
  });

  it('reads nothing, and has no checkpoint, before the first push', async () => {
    const empty = openSearchPushLog(client, indexNames(`${names.prefix}none`));
    expect(await empty.checkpoint()).toBe(-1);
    const batches: unknown[] = [];
    for await (const b of empty.read('x')) batches.push(b);
    expect(batches).toEqual([]);
    expect(await empty.counts('x')).toEqual({ upserts: 0, deletes: 0 });
    expect(await empty.clear('x')).toBe(0);
  });
});
