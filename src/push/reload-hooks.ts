/**
 * How a full reload (ingest CLI, loadDataset) keeps every pushed record. The reload builds a NEW
 * index from the source while pushes keep arriving on the alias (the old index). Two replays of the
 * push log (push-log.ts, in OpenSearch: whichever host runs the reload sees every replica's pushes)
 * close the gap:
 *
 *   load source → new index
 *   beforeSwap: c = log checkpoint; replay every entry into the NEW index          (log read at t1)
 *   swap the alias (atomic)                                                        at s > t1
 *   afterSwap:  replay the entries written after c into the ALIAS (= new index)    (log read at t2 > s)
 *
 * A push writes its log entry (durable) BEFORE it writes to the alias, so for a push logged at b and
 * written at w > b: logged before the checkpoint → read at t1 (the read refreshes the log first);
 * logged after it but before t2 → above c, read at t2; logged after t2 → w > t2 > s, so the push itself
 * wrote through the alias into the new index. Every write carries the entry's seq as external version,
 * so a replay landing after a newer direct push of the same record (or the same push twice) is a no-op
 * conflict, never a regression. Deletions replay the same way (their tombstones are kept
 * index.gc_deletes = 60 s, far longer than the gap between the two replays).
 */
import type { LoadSwapHooks } from '../ingest/load';
import type { PushLog } from './push-log';
import { formatReplay, replayPushLog } from './replay';

export interface PushReloadOptions {
  log: PushLog;
  say?: (line: string) => void;
}

export function pushReloadHooks(o: PushReloadOptions): LoadSwapHooks {
  const say = o.say ?? (() => {});
  let checkpoint: number | undefined;
  return {
    async beforeSwap({ client, index, descriptor }) {
      checkpoint = await o.log.checkpoint();
      const r = await replayPushLog({ client, log: o.log, index, descriptor });
      if (r.upserts + r.deletes + r.skippedCount > 0) say(`push log: ${formatReplay(r)} into ${index} before the alias swap`);
    },
    async afterSwap({ client, alias, descriptor }) {
      const r = await replayPushLog({ client, log: o.log, index: alias, descriptor, ...(checkpoint !== undefined ? { after: checkpoint } : {}) });
      if (r.upserts + r.deletes + r.skippedCount > 0) say(`push log: ${formatReplay(r)} pushed during the reload`);
    },
  };
}
