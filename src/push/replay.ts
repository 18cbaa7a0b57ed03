/**
 * Replays the push log of a dataset into a records index (or the alias): each upsert is rebuilt with
 * the CURRENT schema (PushSchema.rebuild, the DocumentBuilder) and written with its `seq` as external
 * version; each deletion too. Replaying is idempotent and order-safe: an entry already applied, or
 * older than what the index holds, is a version conflict and changes nothing.
 *
 * Used by the reload (reload-hooks.ts) and by `push replay <dataset>` (src/cli/push.ts).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { DatasetDescriptor } from '../datasets/descriptor';
import type { PushLog } from './push-log';
import { PushSchema } from './push-schema';
import type { PushLogEntry, RecordWrite } from './push-types';
import { bulkWrite, type RefreshPolicy } from '../opensearch/record-bulk';

export interface ReplayOptions {
  client: Client;
  log: PushLog;
  /** A concrete records index (before an alias swap) or the dataset alias. */
  index: string;
  descriptor: DatasetDescriptor;
  /** Only the entries written after this log position (push-log.ts); default: all. */
  after?: number;
  batchSize?: number;
  /** Refresh the index at the end (default true: replayed records are searchable on return). */
  refresh?: boolean;
}

export interface ReplayResult {
  upserts: number;
  deletes: number;
  /** Entries not applied (first 100): not valid under the current schema, or refused by OpenSearch. */
  skipped: { recordid: string; reason: string }[];
  skippedCount: number;
}

const MAX_REPORTED = 100;

/** Applies entries of `descriptor`'s dataset to `index`; adds what happened to `result`. */
export async function applyEntries(client: Client, index: string, schema: PushSchema, entries: readonly PushLogEntry[], result: ReplayResult, datasetId: string): Promise<void> {
  const skip = (recordid: string, reason: string): void => {
    result.skippedCount += 1;
    if (result.skipped.length < MAX_REPORTED) result.skipped.push({ recordid, reason });
  };
  const writes: RecordWrite[] = [];
  for (const entry of entries) {
    if (entry.dataset !== datasetId) {
      skip(entry.recordid, `entry of dataset ${entry.dataset}, not ${datasetId}`);
      continue;
    }
    if (entry.op === 'delete') {
      writes.push({ kind: 'delete', recordid: entry.recordid, version: entry.seq });
    } else {
      const r = schema.rebuild(entry.fields ?? {}, entry.ts);
      if (!r.ok) {
        skip(entry.recordid, `record ${entry.recordid} no longer fits the schema: ${r.reason}`);
        continue;
      }
      writes.push({ kind: 'index', doc: r.doc, version: entry.seq });
    }
  }
  const refreshPolicy: RefreshPolicy = false;
  const failures = await bulkWrite(client, index, writes, refreshPolicy);
  const failed = new Set(failures.map((f) => f.position));
  for (const f of failures) skip(f.recordid, `OpenSearch refused record ${f.recordid}: ${f.reason}`);
  writes.forEach((w, i) => {
    if (failed.has(i)) return;
    if (w.kind === 'index') result.upserts += 1;
    else result.deletes += 1;
  });
}

export async function replayPushLog(o: ReplayOptions): Promise<ReplayResult> {
  const schema = new PushSchema(o.descriptor);
  const result: ReplayResult = { upserts: 0, deletes: 0, skipped: [], skippedCount: 0 };
  const datasetId = o.descriptor.datasetid;
  for await (const batch of o.log.read(datasetId, { ...(o.after !== undefined ? { after: o.after } : {}), batchSize: o.batchSize ?? 500 })) {
    await applyEntries(o.client, o.index, schema, batch, result, datasetId);
  }
  if (o.refresh !== false && result.upserts + result.deletes > 0) await o.client.indices.refresh({ index: o.index });
  return result;
}

export function formatReplay(r: ReplayResult): string {
  const skipped = r.skippedCount > 0 ? `, ${r.skippedCount} skipped (${r.skipped.slice(0, 3).map((s) => `${s.recordid}: ${s.reason}`).join('; ')}${r.skippedCount > 3 ? '; ...' : ''})` : '';
  return `${r.upserts} upserts and ${r.deletes} deletions replayed${skipped}`;
}
