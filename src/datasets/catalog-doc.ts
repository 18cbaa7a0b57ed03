/**
 * The catalog document of a dataset (`_id` = datasetid) in `<prefix>-catalog`: its shape, and the one
 * place that says how a dataset's visibility is indexed in it. src/ingest/catalog-doc.ts builds it when a
 * load publishes a dataset; src/auth/catalog-visibility.ts filters catalog searches on `__visibility`;
 * src/datasets/mapping.ts maps it with CATALOG_VISIBILITY_MAPPING.
 */
import type { DatasetDescriptor } from './descriptor';
import type { RecordDocument } from './stored-record';

export const CATALOG_VISIBILITY_FIELD = '__visibility';

/** The mapping of `__visibility`: indexed, so that catalog searches filter on it. */
export const CATALOG_VISIBILITY_MAPPING = {
  properties: {
    public: { type: 'boolean' },
    users: { type: 'keyword' },
    groups: { type: 'keyword' },
  },
} as const;

export interface IngestInfo {
  /** sha1 of the descriptor and of the source file identity (size, mtime); lets a setup skip a reload. */
  fingerprint?: string;
  /** The concrete index the alias points to after this load. */
  index: string;
  version: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  loaded_at: string;
}

/** The indexed form of a descriptor's visibility, stored under `__visibility`. */
export interface CatalogVisibility {
  public: boolean;
  users: string[];
  groups: string[];
}

export function catalogVisibility(d: Pick<DatasetDescriptor, 'visibility'>): CatalogVisibility {
  const v = d.visibility;
  if (v === 'public') return { public: true, users: [], groups: [] };
  return { public: false, users: [...v.restricted.users], groups: [...v.restricted.groups] };
}

/** The catalog document has the stored record layout (the catalog is searched like a dataset) plus these. */
export interface CatalogDoc extends RecordDocument {
  dataset: DatasetDescriptor & { features: string[] };
  ingest?: IngestInfo;
  __visibility: CatalogVisibility;
}

/**
 * A catalog document as read back from the index. Its descriptor is not trusted until
 * parseDescriptor has checked it (src/datasets/registry.ts), hence `dataset: unknown`.
 */
export interface CatalogDocAsRead {
  recordid: string;
  record_timestamp?: string;
  fields?: Record<string, unknown>;
  dataset: unknown;
  ingest?: IngestInfo;
}
