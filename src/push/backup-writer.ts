/**
 * The push backup: every received push, deletion included, appended to `<dir>/<dataset>.ndjson`
 * (one BackupEntry per line) and fsync'd BEFORE it is written to OpenSearch and answered OK. So:
 *  - a dataset can be rebuilt from what was pushed (`push replay`, and every full reload);
 *  - a reload that replays the backup cannot miss a push that reached OpenSearch (reload-hooks.ts).
 *
 * Appends to one file are serialised within a process and made with O_APPEND in a single write, so
 * lines of concurrent gateway replicas sharing the directory (a local volume) never interleave. Do
 * not put the directory on NFS, where O_APPEND is not atomic.
 */
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASET_ID_PATTERN } from '../datasets/descriptor';
import type { BackupEntry } from './push-types';

export interface PushBackup {
  readonly dir: string;
  /** `<dir>/<dataset>.ndjson` */
  pathOf(datasetId: string): string;
  /** Appends the entries; resolves once they are on disk. */
  append(datasetId: string, entries: readonly BackupEntry[]): Promise<void>;
}

export function backupPathOf(dir: string, datasetId: string): string {
  if (!DATASET_ID_PATTERN.test(datasetId)) throw new Error(`Invalid dataset id "${datasetId.slice(0, 100)}"`);
  return join(dir, `${datasetId}.ndjson`);
}

export function fileBackup(dir: string): PushBackup {
  // dataset → the tail of its chain of appends (one at a time per file in this process)
  const chains = new Map<string, Promise<void>>();

  const write = async (path: string, data: Buffer): Promise<void> => {
    await mkdir(dir, { recursive: true });
    const handle = await open(path, 'a', 0o640);
    try {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
      await handle.datasync();
    } finally {
      await handle.close();
    }
  };

  return {
    dir,
    pathOf: (datasetId) => backupPathOf(dir, datasetId),
    append(datasetId, entries) {
      if (entries.length === 0) return Promise.resolve();
      const path = backupPathOf(dir, datasetId);
      const data = Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
      const previous = chains.get(datasetId) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => write(path, data));
      chains.set(datasetId, next);
      void next.finally(() => {
        if (chains.get(datasetId) === next) chains.delete(datasetId);
      }).catch(() => undefined);
      return next;
    },
  };
}
