/**
 * Shared shapes of the ingest pipeline: reader → document builder → bulk loader.
 */

/** The formats the readers understand. */
export const SOURCE_FORMATS = ['csv', 'json', 'ndjson', 'geojson', 'parquet'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** A plain source row: column name → value as the reader found it (strings for CSV, JSON values otherwise). */
export type Row = Record<string, unknown>;

/**
 * One item produced by a reader. `line` is the 1-based line in the file for CSV and NDJSON, the 1-based
 * item index for JSON arrays, GeoJSON features and Parquet rows. A reader that cannot turn an item into
 * a row (a bad NDJSON line, a JSON item that is not an object, a CSV line with too many values) yields
 * `error` instead of `row`, so that the item becomes a reject and the load goes on.
 */
export type SourceRow = { line: number; row: Row; error?: undefined } | { line: number; row?: undefined; error: string; raw?: unknown };

/** What goes to the rejects file, one JSON object per line. */
export interface Reject {
  line: number;
  reason: string;
  row: unknown;
}

/** The stored layout is owned by src/datasets/stored-record.ts. */
export type { RecordDocument } from '../datasets/stored-record';

/** Where a load reads from. */
export interface SourceSpec {
  path: string;
  /** Default: from the file extension (and the first bytes for `.json`). */
  format?: SourceFormat;
  /** CSV only; default: detected from the header line among `, ; \t |`. */
  separator?: string;
}
