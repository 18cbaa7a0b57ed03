/**
 * Reads an NDJSON push backup file, as earlier versions of the gateway wrote them (one PushLogEntry
 * per line, in <PUSH_BACKUP_DIR>/<dataset>.ndjson), for `push log import` (src/cli/push.ts). Reads
 * from a byte offset up to the size at the start of the read; only complete lines are consumed, and
 * `nextOffset` says where a later read would continue.
 *
 *   for await (const batch of readBackup(path, { fromOffset, batchSize: 500 })) { ...batch.entries... }
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { PushLogEntry } from './push-types';

export interface BackupBatch {
  entries: { line: number; entry: PushLogEntry }[];
  /** Lines that are not backup entries (reported, skipped). */
  invalid: { line: number; reason: string }[];
  /** Where the next read starts: just after the last complete line consumed so far. */
  nextOffset: number;
}

export interface ReadBackupOptions {
  fromOffset?: number;
  batchSize?: number;
}

export function parseBackupLine(text: string): PushLogEntry | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const e = v as Partial<PushLogEntry>;
  if (!e || typeof e !== 'object') return 'not an object';
  if (e.op !== 'upsert' && e.op !== 'delete') return 'unknown op';
  if (typeof e.seq !== 'number' || !Number.isSafeInteger(e.seq) || e.seq < 1) return 'bad seq';
  if (typeof e.recordid !== 'string' || typeof e.ts !== 'string' || typeof e.dataset !== 'string') return 'missing recordid, ts or dataset';
  if (e.op === 'upsert' && (!e.fields || typeof e.fields !== 'object')) return 'upsert without fields';
  return e as PushLogEntry;
}

/** The size of the backup (0 when there is none yet). */
export async function backupSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

export async function* readBackup(path: string, options: ReadBackupOptions = {}): AsyncGenerator<BackupBatch> {
  const from = options.fromOffset ?? 0;
  const batchSize = options.batchSize ?? 500;
  const end = await backupSize(path);
  if (end <= from) return;
  const stream = createReadStream(path, { start: from, end: end - 1 });
  let pending: Buffer = Buffer.alloc(0);
  let offset = from; // offset of `pending`'s first byte
  let line = 0;
  let batch: BackupBatch = { entries: [], invalid: [], nextOffset: from };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    for (let nl = pending.indexOf(10, start); nl >= 0; nl = pending.indexOf(10, start)) {
      const text = pending.subarray(start, nl).toString('utf8').trim();
      start = nl + 1;
      line += 1;
      if (text !== '') {
        const parsed = parseBackupLine(text);
        if (typeof parsed === 'string') batch.invalid.push({ line, reason: parsed });
        else batch.entries.push({ line, entry: parsed });
      }
      batch.nextOffset = offset + start;
      if (batch.entries.length >= batchSize) {
        yield batch;
        batch = { entries: [], invalid: [], nextOffset: batch.nextOffset };
      }
    }
    offset += start;
    pending = pending.subarray(start);
  }
  // A trailing partial line (an append in progress) is not consumed.
  if (batch.entries.length > 0 || batch.invalid.length > 0 || batch.nextOffset !== from) yield batch;
}
