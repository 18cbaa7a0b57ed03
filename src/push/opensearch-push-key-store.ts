/**
 * The PushKeyStore in OpenSearch: `<prefix>-push` (hidden, 1 shard, `dynamic: strict`), beside the
 * security index but separate from it, so that push administration never touches identity data.
 *
 *   _id                     kind       hot path
 *   key:<sha256 of the key> key        GET by the hash of the presented key (every push)
 *   dataset:<datasetid>     dataset    GET (every push): { enabled }
 *
 * Created on first write; reads of a missing index answer "nothing". Writes use refresh wait_for so
 * that a listing shows them at once; a GET is real-time anyway (a new key works immediately, a
 * revoked one stops immediately, on every replica).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { IndexNames } from '../datasets/index-names';
import { toGatewayError } from '../opensearch/client';
import type { PushDatasetSettings, PushKeyRecord, PushKeyStore } from './push-keys';

const keyword = { type: 'keyword' } as const;

export const PUSH_INDEX_BODY = {
  settings: { number_of_shards: 1, auto_expand_replicas: '0-1', hidden: true },
  mappings: {
    dynamic: 'strict',
    properties: {
      kind: keyword,
      key_id: keyword,
      key_hash: keyword,
      dataset: keyword,
      resource: keyword,
      label: { type: 'keyword', index: false, doc_values: false },
      enabled: { type: 'boolean' },
      created_at: { type: 'date' },
      updated_at: { type: 'date' },
    },
  },
} as const;

interface PushDoc {
  kind: 'key' | 'dataset';
  key_id?: string;
  key_hash?: string;
  dataset: string;
  resource?: string;
  label?: string;
  enabled?: boolean;
  created_at?: string;
  updated_at?: string;
}

/** `<prefix>-push` (IndexNames has no entry for it; the prefix is validated there). */
export const pushIndexName = (names: IndexNames): string => `${names.prefix}-push`;

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode ?? (e as { meta?: { statusCode?: number } }).meta?.statusCode;

const toRecord = (d: PushDoc): PushKeyRecord => ({
  keyId: d.key_id ?? '',
  keyHash: d.key_hash ?? '',
  dataset: d.dataset,
  resource: d.resource ?? '',
  ...(d.label !== undefined ? { label: d.label } : {}),
  createdAt: d.created_at ?? '',
});

export function openSearchPushKeyStore(client: Client, names: IndexNames): PushKeyStore {
  const index = pushIndexName(names);
  let ensured: Promise<void> | undefined;
  const ensureIndex = (): Promise<void> => {
    ensured ??= (async () => {
      const exists = await client.indices.exists({ index });
      if (exists.body === true) return;
      try {
        await client.indices.create({ index, body: PUSH_INDEX_BODY as never });
      } catch (e) {
        const type = ((e as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type) ?? '';
        if (type !== 'resource_already_exists_exception') throw e;
      }
    })().catch((e: unknown) => {
      ensured = undefined;
      throw e;
    });
    return ensured;
  };
  const get = async (id: string): Promise<PushDoc | undefined> => {
    try {
      const res = await client.get({ index, id });
      return (res.body as { _source?: PushDoc })._source;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw toGatewayError(e, 'push key lookup');
    }
  };
  const put = async (id: string, doc: PushDoc): Promise<void> => {
    await ensureIndex();
    await client.index({ index, id, body: doc as never, refresh: 'wait_for' });
  };
  const search = async (query: Record<string, unknown>): Promise<{ id: string; doc: PushDoc }[]> => {
    try {
      const res = await client.search({ index, body: { size: 10000, query, sort: [{ created_at: 'asc' }] } as never });
      const hits = (res.body as { hits?: { hits?: { _id: string; _source: PushDoc }[] } }).hits?.hits ?? [];
      return hits.map((h) => ({ id: h._id, doc: h._source }));
    } catch (e) {
      if (statusOf(e) === 404) return [];
      throw toGatewayError(e, 'push key listing');
    }
  };
  return {
    async putKey(r) {
      await put(`key:${r.keyHash}`, {
        kind: 'key',
        key_id: r.keyId,
        key_hash: r.keyHash,
        dataset: r.dataset,
        resource: r.resource,
        ...(r.label !== undefined ? { label: r.label } : {}),
        created_at: r.createdAt,
      });
    },
    async keyByHash(hash) {
      const d = await get(`key:${hash}`);
      return d?.kind === 'key' ? toRecord(d) : undefined;
    },
    async listKeys(dataset) {
      const filter: unknown[] = [{ term: { kind: 'key' } }];
      if (dataset !== undefined) filter.push({ term: { dataset } });
      return (await search({ bool: { filter } })).map((h) => toRecord(h.doc));
    },
    async deleteKey(keyId) {
      const hits = await search({ bool: { filter: [{ term: { kind: 'key' } }, { term: { key_id: keyId } }] } });
      for (const h of hits) await client.delete({ index, id: h.id, refresh: 'wait_for' });
      return hits.length > 0;
    },
    async settings(dataset) {
      const d = await get(`dataset:${dataset}`);
      if (d?.kind !== 'dataset') return undefined;
      return { dataset, enabled: d.enabled !== false, ...(d.updated_at ? { updatedAt: d.updated_at } : {}) };
    },
    async putSettings(s: PushDatasetSettings) {
      await put(`dataset:${s.dataset}`, { kind: 'dataset', dataset: s.dataset, enabled: s.enabled, ...(s.updatedAt ? { updated_at: s.updatedAt } : {}) });
    },
  };
}
