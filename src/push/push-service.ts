/**
 * The real-time push use cases (docs/v1-api.md, Push), behind the HTTP routes:
 *
 *   push(d, resource, records)          validate all → store files → push log (durable) → bulk (wait_for)
 *   deleteByValues(d, resource, records) same validation → recordids → push log → bulk deletes
 *   deleteById(d, resource, recordid)    push log → bulk delete
 *
 * Batch policy: all or nothing. A batch with any invalid record is refused whole (400 listing every
 * problem with its position and field) before anything is stored, so a client fixes and resends
 * without creating duplicates. The only partial outcome is a record OpenSearch itself refuses after
 * validation (e.g. a self-intersecting polygon): the answer is then a 400 naming those records, and
 * says the others were written.
 *
 * Writes go to the dataset alias with refresh=wait_for: when the answer is OK, the records are
 * searchable (within the 1 s refresh interval). The push log entry is durable before the write is
 * sent (reload-hooks.ts explains why that order matters).
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import { GatewayError, backendUnavailable } from '../errors';
import type { FileStore } from '../files/file-store';
import type { Backend } from '../opensearch/backend';
import type { PushLog } from './push-log';
import { pushSchemaOf, type PushProblem } from './push-schema';
import type { PushLogEntry, RecordWrite, RecordWriteFailure } from './push-types';
import { versionClock, type VersionClock } from './versions';

export interface PushServiceDeps {
  backend: Backend;
  files: FileStore;
  log: PushLog;
  clock?: () => Date;
  version?: VersionClock;
}

/** At most this many problems are listed in a 400 (the count says how many there were). */
export const MAX_LISTED_PROBLEMS = 1000;

export function invalidBatch(problems: readonly PushProblem[], total: number, verb = 'pushed'): GatewayError {
  const records = new Set(problems.map((p) => p.index)).size;
  return new GatewayError(
    'bad_parameter',
    `${records} of ${total} record${total > 1 ? 's are' : ' is'} invalid (${problems.length} problem${problems.length > 1 ? 's' : ''}); nothing was ${verb}: fix them and send the whole batch again`,
    { extra: { problems: problems.slice(0, MAX_LISTED_PROBLEMS), problems_count: problems.length } },
  );
}

function refusedByBackend(failures: readonly RecordWriteFailure[], positions: readonly number[], total: number): GatewayError {
  const problems = failures.map((f) => ({ index: positions[f.position] ?? f.position, recordid: f.recordid, error: `refused by the search backend: ${f.reason}` }));
  return new GatewayError(
    'bad_parameter',
    `${failures.length} of ${total} records were refused by the search backend; the other ${total - failures.length} were written`,
    { extra: { problems: problems.slice(0, MAX_LISTED_PROBLEMS), problems_count: problems.length } },
  );
}

export function pushService(deps: PushServiceDeps) {
  const clock = deps.clock ?? (() => new Date());
  const nextVersion = deps.version ?? versionClock(() => clock().getTime());

  /** Pass 1 and 2 of PushSchema; throws the 400 of the whole batch. `store`: write the files. */
  const validate = async (d: DatasetDescriptor, records: readonly unknown[], store: boolean, now: string, verb: string) => {
    const schema = pushSchemaOf(d);
    const checked = schema.check(records);
    if (checked.problems.length > 0) throw invalidBatch(checked.problems, records.length, verb);
    const described = await schema.build(checked.prepared, (f) => deps.files.describe(f.content, f), now);
    if (described.problems.length > 0) throw invalidBatch(described.problems, records.length, verb);
    if (store) for (const b of described.built) for (const f of b.files) await deps.files.put(f.content, f);
    return described.built;
  };

  /** The push log first (durable), then the alias; OpenSearch refusals become a 400 naming them. */
  const apply = async (d: DatasetDescriptor, entries: PushLogEntry[], writes: RecordWrite[], positions: number[]) => {
    await deps.log.append(d.datasetid, entries);
    const failures = await deps.backend.writeRecords(d.datasetid, writes);
    // A write refused for a moment (a shard copy being promoted, a full queue) is not the record's
    // fault: 503, and the client sends the batch again (the push log has it already).
    const later = failures.filter((f) => f.status === 429 || f.status >= 500);
    if (later.length > 0) throw backendUnavailable(`${later.length} of ${writes.length} writes could not be applied now: ${later[0]?.reason ?? ''}`, 2);
    if (failures.length > 0) throw refusedByBackend(failures, positions, writes.length);
  };

  const entry = (d: DatasetDescriptor, resource: string, op: PushLogEntry['op'], recordid: string, ts: string, seq: number): PushLogEntry => ({
    v: 1,
    seq,
    ts,
    op,
    dataset: d.datasetid,
    resource,
    recordid,
  });

  return {
    async push(d: DatasetDescriptor, resource: string, records: readonly unknown[]): Promise<void> {
      const now = clock().toISOString();
      const built = await validate(d, records, true, now, 'pushed');
      const entries: PushLogEntry[] = [];
      const writes: RecordWrite[] = [];
      for (const b of built) {
        const seq = nextVersion();
        entries.push({ ...entry(d, resource, 'upsert', b.doc.recordid, now, seq), fields: b.doc.fields });
        writes.push({ kind: 'index', doc: b.doc, version: seq });
      }
      await apply(d, entries, writes, built.map((b) => b.index));
    },

    async deleteByValues(d: DatasetDescriptor, resource: string, records: readonly unknown[]): Promise<void> {
      const now = clock().toISOString();
      const built = await validate(d, records, false, now, 'deleted');
      const entries: PushLogEntry[] = [];
      const writes: RecordWrite[] = [];
      for (const b of built) {
        const seq = nextVersion();
        entries.push(entry(d, resource, 'delete', b.doc.recordid, now, seq));
        writes.push({ kind: 'delete', recordid: b.doc.recordid, version: seq });
      }
      await apply(d, entries, writes, built.map((b) => b.index));
    },

    async deleteById(d: DatasetDescriptor, resource: string, recordId: string): Promise<void> {
      const now = clock().toISOString();
      const seq = nextVersion();
      await apply(d, [entry(d, resource, 'delete', recordId, now, seq)], [{ kind: 'delete', recordid: recordId, version: seq }], [0]);
    },
  };
}

export type PushService = ReturnType<typeof pushService>;
