/**
 * The push log: every accepted push and deletion, kept in OpenSearch so that any gateway replica on
 * any host writes it and any reload, wherever it runs, replays it (docs/push-and-multimedia.md).
 *
 * `<prefix>-push-log` (hidden, ONE shard, `dynamic: strict`, `auto_expand_replicas: 0-1`): one document
 * per (dataset, record id), `_id` = `<dataset>/<recordid>`, holding the LATEST operation on that record
 * (an upsert with its fields, or a deletion). Each write carries the operation's `seq` as external
 * version, so an older operation arriving late (another replica, a retry) never replaces a newer one:
 * the log is compacted as it is written and grows with the number of records pushed, not of pushes.
 *
 * Durable before the push is answered: a write is acknowledged once it is in the translog of every
 * in-sync copy (index.translog.durability `request`, the default, fsyncs it).
 *
 * Reading for a reload needs "everything logged before now" and later "what came since". Positions are
 * the shard's sequence numbers (`_seq_no`, which grow with every write of the one shard): `checkpoint()`
 * returns the shard's global checkpoint (every write at or below it is on every copy), and `read()`
 * refreshes first, so that a read started after `checkpoint()` sees every write at or below it, and
 * `read({ after })` returns the writes above it (an entry rewritten since gets a new, higher `_seq_no`).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { IndexNames } from '../datasets/index-names';
import { backendUnavailable, GatewayError } from '../errors';
import { RETRYABLE_WRITE } from '../opensearch/failover-transport';
import { toGatewayError } from '../opensearch/client';
import type { PushLogEntry } from './push-types';

export interface PushLogCounts {
  upserts: number;
  deletes: number;
}

export interface PushLog {
  /** Logs the entries; resolves once they are durable on every in-sync copy. */
  append(datasetId: string, entries: readonly PushLogEntry[]): Promise<void>;
  /** A position at or after every entry whose append had resolved before the call (-1: none). */
  checkpoint(): Promise<number>;
  /** The entries of a dataset written after a position (all without one), in batches, oldest first. */
  read(datasetId: string, options?: { after?: number; batchSize?: number }): AsyncIterable<PushLogEntry[]>;
  counts(datasetId: string): Promise<PushLogCounts>;
  /** Forgets every entry of a dataset (after a reload from a source that holds the pushed data). */
  clear(datasetId: string): Promise<number>;
}

const keyword = { type: 'keyword' } as const;

export const PUSH_LOG_INDEX_BODY = {
  // One shard: its _seq_no orders every write of the log (see above).
  settings: { number_of_shards: 1, auto_expand_replicas: '0-1', hidden: true },
  mappings: {
    dynamic: 'strict',
    properties: {
      v: { type: 'short' },
      seq: { type: 'long' },
      ts: { type: 'date' },
      op: keyword,
      dataset: keyword,
      resource: keyword,
      recordid: keyword,
      // the stored values of an upsert, rebuilt with the dataset's schema when replayed; not searched
      fields: { type: 'object', enabled: false },
    },
  },
} as const;

/** `<prefix>-push-log` (the prefix is validated by IndexNames). */
export const pushLogIndexName = (names: IndexNames): string => `${names.prefix}-push-log`;

/** The log document id of a record: dataset ids and record ids never contain `/`. */
export const pushLogId = (datasetId: string, recordId: string): string => `${datasetId}/${recordId}`;

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode ?? (e as { meta?: { statusCode?: number } }).meta?.statusCode;
const errorTypeOf = (e: unknown): string =>
  (e as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type ?? '';

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string };
}

export function openSearchPushLog(client: Client, names: IndexNames): PushLog {
  const index = pushLogIndexName(names);
  let ensured: Promise<void> | undefined;
  const ensureIndex = (): Promise<void> => {
    ensured ??= (async () => {
      const exists = await client.indices.exists({ index });
      if (exists.body === true) return;
      try {
        await client.indices.create({ index, body: PUSH_LOG_INDEX_BODY as never });
      } catch (e) {
        if (errorTypeOf(e) !== 'resource_already_exists_exception') throw e;
      }
    })().catch((e: unknown) => {
      ensured = undefined;
      throw e;
    });
    return ensured;
  };
  const missing = (e: unknown): boolean => statusOf(e) === 404;

  return {
    async append(datasetId, entries) {
      if (entries.length === 0) return;
      const body: unknown[] = [];
      for (const e of entries) {
        if (e.dataset !== datasetId) throw new Error(`a push log entry of ${e.dataset} given for ${datasetId}`);
        body.push({ index: { _index: index, _id: pushLogId(datasetId, e.recordid), version: e.seq, version_type: 'external' } }, e);
      }
      let res;
      try {
        await ensureIndex();
        // A repeated bulk (failover) rewrites the same versions: conflicts, which change nothing.
        res = await client.bulk({ body: body as never }, RETRYABLE_WRITE);
      } catch (e) {
        throw toGatewayError(e, 'push log');
      }
      const items = (res.body as { errors?: boolean; items?: Record<string, BulkItem>[] }).items ?? [];
      // 409: a newer operation on that record is logged already (it wins on the record too).
      const failed = items.map((it) => Object.values(it)[0]).filter((it): it is BulkItem => it !== undefined && it.status >= 300 && it.status !== 409);
      if (failed.length === 0) return;
      const first = `${failed[0]?.error?.type ?? failed[0]?.status}: ${failed[0]?.error?.reason ?? ''}`;
      if (failed.some((it) => it.status === 429 || it.status >= 500)) throw backendUnavailable(`the push log could not take ${failed.length} entries now (${first})`, 2);
      throw new GatewayError('internal', `The push log refused ${failed.length} entries (${first})`);
    },

    async checkpoint() {
      try {
        const res = await client.indices.stats({ index, metric: 'docs', level: 'shards', expand_wildcards: 'all' } as never);
        const shards = (res.body as { indices?: Record<string, { shards?: Record<string, { routing?: { primary?: boolean }; seq_no?: { global_checkpoint?: number } }[]> }> }).indices?.[index]?.shards ?? {};
        const primary = (shards['0'] ?? []).find((c) => c.routing?.primary);
        return primary?.seq_no?.global_checkpoint ?? -1;
      } catch (e) {
        if (missing(e)) return -1;
        throw e;
      }
    },

    async *read(datasetId, options = {}) {
      const size = options.batchSize ?? 500;
      try {
        await client.indices.refresh({ index, expand_wildcards: 'all' } as never);
      } catch (e) {
        if (missing(e)) return;
        throw e;
      }
      let after: number | undefined = options.after;
      for (;;) {
        const filter: unknown[] = [{ term: { dataset: datasetId } }];
        if (after !== undefined) filter.push({ range: { _seq_no: { gt: after } } });
        const res = await client.search({
          index,
          body: { size, query: { bool: { filter } }, sort: [{ _seq_no: 'asc' }], seq_no_primary_term: true } as never,
          allow_partial_search_results: false,
        });
        const hits = (res.body as { hits: { hits: { _seq_no: number; _source: PushLogEntry }[] } }).hits.hits;
        if (hits.length === 0) return;
        yield hits.map((h) => h._source);
        after = hits[hits.length - 1]!._seq_no;
        if (hits.length < size) return;
      }
    },

    async counts(datasetId) {
      const count = async (op: string): Promise<number> => {
        try {
          const res = await client.count({ index, body: { query: { bool: { filter: [{ term: { dataset: datasetId } }, { term: { op } }] } } } as never });
          return (res.body as { count: number }).count;
        } catch (e) {
          if (missing(e)) return 0;
          throw e;
        }
      };
      return { upserts: await count('upsert'), deletes: await count('delete') };
    },

    async clear(datasetId) {
      try {
        await client.indices.refresh({ index, expand_wildcards: 'all' } as never); // delete_by_query sees what a search sees
        const res = await client.deleteByQuery({ index, refresh: true, conflicts: 'proceed', body: { query: { term: { dataset: datasetId } } } as never });
        return (res.body as { deleted?: number }).deleted ?? 0;
      } catch (e) {
        if (missing(e)) return 0;
        throw e;
      }
    },
  };
}
