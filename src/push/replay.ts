/**
 * Replays a push backup into a records index (or the alias): each upsert is rebuilt with the CURRENT
 * schema (PushSchema.rebuild, the DocumentBuilder) and written with its backup `seq` as external
 * version; each deletion too. Replaying is idempotent and order-safe: a line already applied, or
 * older than what the index holds, is a version conflict and changes nothing.
 *
 * Used by the reload (reload-hooks.ts) and by `push replay <dataset>` (src/cli/push.ts).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { DatasetDescriptor } from '../datasets/descriptor';
import { readBackup } from './backup-reader';
import { PushSchema } from './push-schema';
import type { RecordWrite } from './push-types';
import { bulkWrite, type RefreshPolicy } from './record-bulk';

export interface ReplayOptions {
  client: Client;
  /** A concrete records index (before an alias swap) or the dataset alias. */
  index: string;
  descriptor: DatasetDescriptor;
  path: string;
  fromOffset?: number;
  batchSize?: number;
  /** Refresh the index at the end (default true: replayed records are searchable on return). */
  refresh?: boolean;
}

export interface ReplayResult {
  upserts: number;
  deletes: number;
  /** Lines not applied (first 100): unreadable, not valid under the current schema, or refused by OpenSearch. */
  skipped: { line: number; reason: string }[];
  skippedCount: number;
  /** Byte offset after the last complete line read: where a later replay of the tail starts. */
  nextOffset: number;
}

const MAX_REPORTED = 100;

export async function replayBackup(o: ReplayOptions): Promise<ReplayResult> {
  const schema = new PushSchema(o.descriptor);
  const result: ReplayResult = { upserts: 0, deletes: 0, skipped: [], skippedCount: 0, nextOffset: o.fromOffset ?? 0 };
  const skip = (line: number, reason: string): void => {
    result.skippedCount += 1;
    if (result.skipped.length < MAX_REPORTED) result.skipped.push({ line, reason });
  };
  const refreshPolicy: RefreshPolicy = false;
  for await (const batch of readBackup(o.path, { ...(o.fromOffset !== undefined ? { fromOffset: o.fromOffset } : {}), batchSize: o.batchSize ?? 500 })) {
    for (const bad of batch.invalid) skip(bad.line, `unreadable backup line: ${bad.reason}`);
    const writes: RecordWrite[] = [];
    const lines: number[] = [];
    for (const { line, entry } of batch.entries) {
      if (entry.dataset !== o.descriptor.datasetid) {
        skip(line, `entry of dataset ${entry.dataset}, not ${o.descriptor.datasetid}`);
        continue;
      }
      if (entry.op === 'delete') {
        writes.push({ kind: 'delete', recordid: entry.recordid, version: entry.seq });
      } else {
        const r = schema.rebuild(entry.fields ?? {}, entry.ts);
        if (!r.ok) {
          skip(line, `record ${entry.recordid} no longer fits the schema: ${r.reason}`);
          continue;
        }
        writes.push({ kind: 'index', doc: r.doc, version: entry.seq });
      }
      lines.push(line);
    }
    const failures = await bulkWrite(o.client, o.index, writes, refreshPolicy);
    const failed = new Set(failures.map((f) => f.position));
    for (const f of failures) skip(lines[f.position] ?? 0, `OpenSearch refused record ${f.recordid}: ${f.reason}`);
    writes.forEach((w, i) => {
      if (failed.has(i)) return;
      if (w.kind === 'index') result.upserts += 1;
      else result.deletes += 1;
    });
    result.nextOffset = batch.nextOffset;
  }
  if (o.refresh !== false) await o.client.indices.refresh({ index: o.index });
  return result;
}

export function formatReplay(r: ReplayResult): string {
  const skipped = r.skippedCount > 0 ? `, ${r.skippedCount} skipped (${r.skipped.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join('; ')}${r.skippedCount > 3 ? '; ...' : ''})` : '';
  return `${r.upserts} upserts and ${r.deletes} deletions replayed${skipped}`;
}
