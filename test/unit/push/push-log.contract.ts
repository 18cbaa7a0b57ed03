/**
 * The PushLog contract, run on the in-memory log (unit) and on the OpenSearch log (integration): the
 * same cases, so both mean the same thing (src/push/push-log.ts).
 */
import type { PushLog } from '../../../src/push/push-log';
import type { PushLogEntry } from '../../../src/push/push-types';

const entry = (dataset: string, recordid: string, seq: number, op: 'upsert' | 'delete' = 'upsert'): PushLogEntry => ({
  v: 1,
  seq,
  ts: '2026-01-01T00:00:00.000Z',
  op,
  dataset,
  resource: 'live',
  recordid,
  ...(op === 'upsert' ? { fields: { n: seq } } : {}),
});

async function readAll(log: PushLog, dataset: string, after?: number): Promise<PushLogEntry[]> {
  const out: PushLogEntry[] = [];
  for await (const batch of log.read(dataset, { ...(after !== undefined ? { after } : {}), batchSize: 2 })) out.push(...batch);
  return out;
}

export function pushLogContract(make: () => Promise<PushLog>): void {
  let log: PushLog;
  let n = 0;
  let ds: string;
  beforeEach(async () => {
    log = await make();
    ds = `contract${(n += 1)}`;
  });

  it('keeps the latest operation of each record, by seq, whatever the order of arrival', async () => {
    await log.append(ds, [entry(ds, 'a', 10), entry(ds, 'b', 11)]);
    await log.append(ds, [entry(ds, 'a', 5)]); // older: a late replica or a retry
    await log.append(ds, [entry(ds, 'b', 12, 'delete')]);
    await log.append(ds, [entry(ds, 'b', 12, 'delete')]); // the same operation again
    expect(await readAll(log, ds)).toEqual([entry(ds, 'a', 10), entry(ds, 'b', 12, 'delete')]);
    expect(await log.counts(ds)).toEqual({ upserts: 1, deletes: 1 });
  });

  it('reads what was written after a checkpoint, rewritten records included, and nothing of other datasets', async () => {
    const other = `${ds}x`;
    await log.append(ds, [entry(ds, 'a', 1), entry(ds, 'b', 2)]);
    await log.append(other, [entry(other, 'z', 3)]);
    const c = await log.checkpoint();
    expect(await readAll(log, ds, c)).toEqual([]);
    await log.append(ds, [entry(ds, 'c', 4), entry(ds, 'a', 5)]);
    expect(await readAll(log, ds, c)).toEqual([entry(ds, 'c', 4), entry(ds, 'a', 5)]);
    expect(await readAll(log, ds)).toEqual([entry(ds, 'b', 2), entry(ds, 'c', 4), entry(ds, 'a', 5)]);
    expect(await readAll(log, other)).toEqual([entry(other, 'z', 3)]);
  });

  it('forgets the entries of one dataset', async () => {
    const other = `${ds}y`;
    await log.append(ds, [entry(ds, 'a', 1), entry(ds, 'b', 2, 'delete')]);
    await log.append(other, [entry(other, 'a', 3)]);
    expect(await log.clear(ds)).toBe(2);
    expect(await readAll(log, ds)).toEqual([]);
    expect(await log.counts(ds)).toEqual({ upserts: 0, deletes: 0 });
    expect(await readAll(log, other)).toEqual([entry(other, 'a', 3)]);
  });

  it('refuses an entry of another dataset than the one named', async () => {
    await expect(log.append(ds, [entry(`${ds}z`, 'a', 1)])).rejects.toThrow(/of .* given for/);
  });
}
