/**
 * Dataset lookup for every endpoint: the descriptor as loaded, read from the catalog index, with a
 * short cache so a busy endpoint does not read the catalog on every call. A reload becomes visible
 * within the cache TTL (DATASET_CACHE_TTL_MS) on every gateway replica.
 */
import type { CatalogDocAsRead } from './catalog-doc';
import { type DatasetDescriptor, parseDescriptor } from './descriptor';
import { checkDatasetId } from './index-names';
import { GatewayError, unknownDataset } from '../errors';
import { ttlCache } from '../ttl-cache';

export interface DatasetRegistry {
  /** The descriptor of a dataset; 400 for an invalid id (no backend call), 404 when unknown. */
  get(datasetId: string, parameter?: string): Promise<DatasetDescriptor>;
  /** Forget cached entries (tests, admin reloads). */
  clear(): void;
}

/** What the registry reads: the catalog document of one dataset (the OpenSearch backend provides it). */
export interface CatalogReader {
  getCatalogDoc(datasetId: string): Promise<CatalogDocAsRead | undefined>;
}

export function datasetRegistry(backend: CatalogReader, ttlMs: number, clock: () => number = Date.now): DatasetRegistry {
  const cache = ttlCache<DatasetDescriptor | undefined>(ttlMs, clock);
  const load = async (id: string): Promise<DatasetDescriptor | undefined> => {
    const doc = await backend.getCatalogDoc(id);
    if (!doc) return undefined;
    try {
      return parseDescriptor(doc.dataset, `catalog entry of ${id}`);
    } catch (e) {
      throw new GatewayError('internal', `The catalog entry of dataset ${id} is invalid`, { cause: e });
    }
  };
  return {
    async get(datasetId, parameter = 'dataset') {
      checkDatasetId(datasetId, parameter);
      const d = await cache.get(datasetId, () => load(datasetId));
      if (!d) throw unknownDataset(datasetId);
      return d;
    },
    clear() {
      cache.clear();
    },
  };
}
