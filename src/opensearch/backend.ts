/**
 * The narrow port every endpoint talks to (design.md: "OpenSearch, behind one narrow interface").
 * HTTP tests replace it with a fake that counts calls; production uses the OpenSearch implementation
 * below, which turns every client failure into a GatewayError (503 with Retry-After when the
 * cluster is unreachable or overloaded).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { IndexNames } from '../datasets/index-names';
import type { StoredRecord } from '../responses/record';
import { toGatewayError } from './client';

/** The catalog document of a dataset: its descriptor (as loaded) under `dataset`. */
export interface CatalogDoc {
  recordid: string;
  record_timestamp?: string;
  fields?: Record<string, unknown>;
  dataset: unknown;
}

export interface Backend {
  /** The catalog document of one dataset, or undefined when the catalog does not list it. */
  getCatalogDoc(datasetId: string): Promise<CatalogDoc | undefined>;
  /** One record by id from the dataset's alias, or undefined. */
  getRecord(datasetId: string, recordId: string): Promise<StoredRecord | undefined>;
  /** A `_search` on the dataset's alias (the body is built by the pure search builders). */
  searchRecords(datasetId: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** A `_search` on the catalog index. */
  searchCatalog(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** True when the cluster answers and is at least yellow. */
  ping(): Promise<boolean>;
}

function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number }).statusCode === 404;
}

export function openSearchBackend(client: Client, names: IndexNames): Backend {
  return {
    async getCatalogDoc(datasetId) {
      try {
        const res = await client.get({ index: names.catalogIndex, id: datasetId });
        return res.body._source as CatalogDoc | undefined;
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
        const res = await client.search({ index: names.recordsAlias(datasetId), body });
        return res.body as unknown as Record<string, unknown>;
      } catch (e) {
        throw toGatewayError(e, 'search');
      }
    },
    async searchCatalog(body) {
      try {
        const res = await client.search({ index: names.catalogIndex, body });
        return res.body as unknown as Record<string, unknown>;
      } catch (e) {
        if (isNotFound(e)) return { hits: { total: { value: 0 }, hits: [] } };
        throw toGatewayError(e, 'catalog search');
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
