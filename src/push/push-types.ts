/**
 * Shapes shared by the push pipeline: the push log entries, and the writes sent to a records index.
 */

/** Dataset resource ids in push URLs (`/api/push/1.0/<dataset>/<resource>/push/`). */
export const RESOURCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Record ids in `/<resource>/<record_id>/delete/` (sha1 hex here; the same bound as the record lookup). */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * One operation of the push log (push-log.ts; also one line of the NDJSON push backups of earlier
 * versions, which `push log import` reads). `seq` is also the external version of the write in
 * OpenSearch, so that replaying an old entry never undoes a newer write.
 */
export interface PushLogEntry {
  v: 1;
  seq: number;
  /** When the gateway received the push (ISO 8601): the record_timestamp of an upsert. */
  ts: string;
  op: 'upsert' | 'delete';
  dataset: string;
  resource: string;
  recordid: string;
  /** upsert only: the stored field values (file fields as v1 file objects pointing at the file store). */
  fields?: Record<string, unknown>;
}

/** Record writes are owned by the bulk writer, src/opensearch/record-bulk.ts. */
export type { RecordWrite, RecordWriteFailure } from '../opensearch/record-bulk';
