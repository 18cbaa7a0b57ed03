/**
 * The one owner of the stored record layout (docs/architecture.md): what a records index holds for each
 * record. The loader and the push API write RecordDocument (src/ingest/document-builder.ts builds it);
 * readers get StoredRecord back, where every part but the id may be missing (`_source` filtering, a
 * document written by an older loader).
 */
export interface RecordDocument {
  recordid: string;
  record_timestamp: string;
  /** Field values by field name (see src/datasets/index-names.ts for the value forms). */
  fields: Record<string, unknown>;
  /** Hierarchical facet paths by field name. */
  __paths?: Record<string, string[]>;
  /** The GeoJSON type of each geo_shape value. */
  __geo_type?: Record<string, string>;
  __geo_digest?: Record<string, string>;
  __geo_length?: Record<string, number>;
}

/** A record as read back from a records index. */
export interface StoredRecord {
  recordid: string;
  record_timestamp?: string;
  fields?: Record<string, unknown>;
}
