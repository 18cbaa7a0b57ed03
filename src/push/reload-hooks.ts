/**
 * How a full reload (ingest CLI, loadDataset) keeps every pushed record. The reload builds a NEW
 * index from the source file while pushes keep arriving on the alias (the old index). Two replays of
 * the push backup close the gap:
 *
 *   load source → new index
 *   beforeSwap: replay the backup, offset 0 → O1, into the NEW index   (every push appended before t1)
 *   swap the alias (atomic)                                              at s > t1
 *   afterSwap:  replay the backup, O1 → end, into the ALIAS (= new index) (pushes appended in [t1, t2], t2 > s)
 *
 * A push appends to the backup (fsync) BEFORE it writes to the alias, so for a push appended at b and
 * written at w > b: b <= t1 → in the first replay; t1 < b <= t2 → in the second; b > t2 → w > s, so
 * it was written through the alias into the new index itself. Every write carries the backup line's
 * seq as external version, so a replay landing after a newer direct push of the same record (or the
 * same push twice) is a no-op conflict, never a regression. Deletions replay the same way (their
 * tombstones are kept index.gc_deletes = 60 s, far longer than the gap between the two replays).
 */
import type { LoadSwapHooks } from '../ingest/load';
import { backupSize } from './backup-reader';
import { formatReplay, replayBackup } from './replay';

export interface PushReloadOptions {
  /** `<PUSH_BACKUP_DIR>/<dataset>.ndjson` */
  backupPath: string;
  log?: (line: string) => void;
}

export function pushReloadHooks(o: PushReloadOptions): LoadSwapHooks {
  const log = o.log ?? (() => {});
  let offset = 0;
  return {
    async beforeSwap({ client, index, descriptor }) {
      if ((await backupSize(o.backupPath)) === 0) return;
      const r = await replayBackup({ client, index, descriptor, path: o.backupPath, fromOffset: 0 });
      offset = r.nextOffset;
      log(`push backup ${o.backupPath}: ${formatReplay(r)} into ${index} before the alias swap`);
    },
    async afterSwap({ client, alias, descriptor }) {
      if ((await backupSize(o.backupPath)) <= offset) return;
      const r = await replayBackup({ client, index: alias, descriptor, path: o.backupPath, fromOffset: offset });
      offset = r.nextOffset;
      if (r.upserts + r.deletes + r.skippedCount > 0) log(`push backup: ${formatReplay(r)} pushed during the reload`);
    },
  };
}
