/**
 * The narrow port every endpoint talks to (docs/architecture.md).
 * HTTP tests replace it with a fake that counts calls; production uses the OpenSearch implementation
 * below, which turns every client failure into a GatewayError (503 with Retry-After when the
 * cluster is unreachable or overloaded).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { CatalogDocAsRead } from '../datasets/catalog-doc';
import type { IndexNames } from '../datasets/index-names';
import type { StoredRecord } from '../datasets/stored-record';
import { toGatewayError } from './client';
import { bulkWrite, type RecordWrite, type RecordWriteFailure } from './record-bulk';


export interface Backend {
  /** The catalog document of one dataset, or undefined when the catalog does not list it. */
  getCatalogDoc(datasetId: string): Promise<CatalogDocAsRead | undefined>;
  /** One record by id from the dataset's alias, or undefined. */
  getRecord(datasetId: string, recordId: string): Promise<StoredRecord | undefined>;
  /** A `_search` on the dataset's alias (the body is built by the pure search builders). */
  searchRecords(datasetId: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** A `_search` on the catalog index. */
  searchCatalog(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** True when the cluster answers and is at least yellow. */
  ping(): Promise<boolean>;
  /**
   * Opens a point-in-time on the dataset's alias (streamed download). `shards` is the number of
   * shards it spans: with one, `_doc` is a unique, stable sort inside the PIT.
   */
  openPit(datasetId: string, keepAliveSeconds: number): Promise<{ pitId: string; shards: number }>;
  /** A `_search` inside a point-in-time: the body carries `pit`; no index is named. */
  searchWithPit(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Deletes a point-in-time; an unknown or expired one is not an error. */
  closePit(pitId: string): Promise<void>;
  /** Point-in-times open on the cluster (tests and diagnostics). */
  countOpenPits(): Promise<number>;
  /**
   * Real-time push (src/push): index/delete records on the dataset's alias with external versions,
   * refresh=wait_for (searchable when it returns). Returns the writes OpenSearch refused; a version
   * conflict (a newer write is there) and deleting a missing record are not failures.
   */
  writeRecords(datasetId: string, writes: readonly RecordWrite[]): Promise<RecordWriteFailure[]>;
}

/**
 * Every search asks for all shards or an error: OpenSearch would otherwise answer 200 with the hits
 * of the shards it could reach (a copy-less shard while a node is down), and a v1 count, facet or
 * download would be silently short. An error is a 503 the client retries.
 */
const WHOLE = { allow_partial_search_results: false } as const;

function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number }).statusCode === 404;
}

export function openSearchBackend(client: Client, names: IndexNames): Backend {
  return {
    async getCatalogDoc(datasetId) {
      try {
        const res = await client.get({ index: names.catalogIndex, id: datasetId });
        return res.body._source as CatalogDocAsRead | undefined;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw toGatewayError(e, 'dataset lookup');
      }
    },
    async getRecord(datasetId, recordId) {
      try {
        const res = await client.get({ index: names.recordsAlias(datasetId), id: recordId });
        return res.body._source as StoredRecord | undefined;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw toGatewayError(e, 'record lookup');
      }
    },
    async searchRecords(datasetId, body) {
      try {
        const res = await client.search({ index: names.recordsAlias(datasetId), body, ...WHOLE });
        return res.body as unknown as Record<string, unknown>;
      } catch (e) {
        throw toGatewayError(e, 'search');
      }
    },
    async searchCatalog(body) {
      try {
        const res = await client.search({ index: names.catalogIndex, body, ...WHOLE });
        return res.body as unknown as Record<string, unknown>;
      } catch (e) {
        if (isNotFound(e)) return { hits: { total: { value: 0 }, hits: [] } };
        throw toGatewayError(e, 'catalog search');
      }
    },
    async openPit(datasetId, keepAliveSeconds) {
      try {
        const res = await client.createPit({ index: [names.recordsAlias(datasetId)], keep_alive: `${keepAliveSeconds}s` });
        return { pitId: res.body.pit_id, shards: res.body._shards?.total ?? 1 };
      } catch (e) {
        throw toGatewayError(e, 'download');
      }
    },
    async searchWithPit(body) {
      try {
        const res = await client.search({ body, ...WHOLE });
        return res.body as unknown as Record<string, unknown>;
      } catch (e) {
        throw toGatewayError(e, 'download');
      }
    },
    async closePit(pitId) {
      try {
        await client.deletePit({ body: { pit_id: [pitId] } });
      } catch (e) {
        if (isNotFound(e)) return;
        throw toGatewayError(e, 'closing a point-in-time');
      }
    },
    async countOpenPits() {
      try {
        const res = await client.getAllPits();
        return (res.body as { pits?: unknown[] }).pits?.length ?? 0;
      } catch (e) {
        throw toGatewayError(e, 'listing point-in-times');
      }
    },
    async writeRecords(datasetId, writes) {
      try {
        return await bulkWrite(client, names.recordsAlias(datasetId), writes, 'wait_for');
      } catch (e) {
        throw toGatewayError(e, 'push');
      }
    },
    async ping() {
      try {
        const res = await client.cluster.health({ timeout: '2s' });
        const status = (res.body as { status?: string }).status;
        return status === 'green' || status === 'yellow';
      } catch {
        return false;
      }
    },
  };
}
