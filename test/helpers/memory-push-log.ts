/**
 * The PushLog contract in memory (tests of the push service, the replay and the reload hooks): the
 * latest entry per (dataset, record id) by seq, each write at a new position, as the OpenSearch log's
 * `_seq_no` (src/push/push-log.ts). test/integration/push-log.int.test.ts checks the real one against
 * the same expectations.
 */
import type { PushLog } from '../../src/push/push-log';
import type { PushLogEntry } from '../../src/push/push-types';

export interface MemoryPushLog extends PushLog {
  /** Every entry held, oldest position first. */
  all(): PushLogEntry[];
}

export function memoryPushLog(): MemoryPushLog {
  const docs = new Map<string, { entry: PushLogEntry; position: number }>();
  let position = -1;
  const ordered = () => [...docs.values()].sort((a, b) => a.position - b.position);
  return {
    async append(datasetId, entries) {
      for (const e of entries) {
        if (e.dataset !== datasetId) throw new Error(`a push log entry of ${e.dataset} given for ${datasetId}`);
        const id = `${datasetId}/${e.recordid}`;
        const held = docs.get(id);
        if (held && held.entry.seq >= e.seq) continue; // an older or the same operation: a conflict, no change
        docs.set(id, { entry: e, position: (position += 1) });
      }
    },
    async checkpoint() {
      return position;
    },
    async *read(datasetId, options = {}) {
      const after = options.after ?? -1;
      const size = options.batchSize ?? 500;
      const mine = ordered().filter((d) => d.entry.dataset === datasetId && d.position > after).map((d) => d.entry);
      for (let i = 0; i < mine.length; i += size) yield mine.slice(i, i + size);
    },
    async counts(datasetId) {
      const mine = ordered().filter((d) => d.entry.dataset === datasetId);
      return { upserts: mine.filter((d) => d.entry.op === 'upsert').length, deletes: mine.filter((d) => d.entry.op === 'delete').length };
    },
    async clear(datasetId) {
      let n = 0;
      for (const [id, d] of docs) {
        if (d.entry.dataset === datasetId) {
          docs.delete(id);
          n += 1;
        }
      }
      return n;
    },
    all: () => ordered().map((d) => d.entry),
  };
}
