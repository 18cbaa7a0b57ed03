/**
 * Record writes → one `_bulk` on a records index or alias, with external versions (src/push/versions.ts).
 * Used by the live push (through the Backend) and by the backup replay (reload, CLI). A version
 * conflict (409: a newer write is there already) and the deletion of a missing record (404) are
 * outcomes, not failures: both leave the index as the newest write says.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { RecordDocument } from '../datasets/stored-record';
import { RETRYABLE_WRITE } from './failover-transport';

/** A write to a records index, with its external version. */
export type RecordWrite = { kind: 'index'; doc: RecordDocument; version: number } | { kind: 'delete'; recordid: string; version: number };

/** A write OpenSearch refused (position = index in the writes sent). */
export interface RecordWriteFailure {
  position: number;
  recordid: string;
  status: number;
  reason: string;
}

export type RefreshPolicy = boolean | 'wait_for';

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

function reasonOf(item: BulkItem): string {
  const e = item.error;
  if (!e) return `status ${item.status}`;
  const cause = e.caused_by?.reason ? ` (${e.caused_by.type ?? 'cause'}: ${e.caused_by.reason})` : '';
  return `${e.type ?? item.status}: ${e.reason ?? ''}${cause}`;
}

/** The NDJSON lines of the bulk body. */
export function bulkBody(index: string, writes: readonly RecordWrite[]): unknown[] {
  const body: unknown[] = [];
  for (const w of writes) {
    if (w.kind === 'index') {
      body.push({ index: { _index: index, _id: w.doc.recordid, version: w.version, version_type: 'external' } }, w.doc);
    } else {
      body.push({ delete: { _index: index, _id: w.recordid, version: w.version, version_type: 'external' } });
    }
  }
  return body;
}

/**
 * Sends the writes; returns the ones OpenSearch refused. Transport errors are thrown. The bulk is
 * retried on another node when one fails (RETRYABLE_WRITE): with external versions, a write applied
 * twice is a version conflict the second time, which is not a failure.
 */
export async function bulkWrite(client: Client, index: string, writes: readonly RecordWrite[], refresh: RefreshPolicy): Promise<RecordWriteFailure[]> {
  if (writes.length === 0) return [];
  const res = await client.bulk({ body: bulkBody(index, writes) as never, refresh: refresh as never }, RETRYABLE_WRITE);
  const body = res.body as { errors?: boolean; items?: Record<string, BulkItem>[] };
  if (!body.errors) return [];
  const failures: RecordWriteFailure[] = [];
  (body.items ?? []).forEach((entry, position) => {
    const item = Object.values(entry)[0];
    const w = writes[position];
    if (!item || !w) return;
    const ok = item.status < 300 || item.status === 409 || (w.kind === 'delete' && item.status === 404);
    if (!ok) failures.push({ position, recordid: w.kind === 'index' ? w.doc.recordid : w.recordid, status: item.status, reason: reasonOf(item) });
  });
  return failures;
}
