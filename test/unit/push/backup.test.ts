import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBackupLine, readBackup, backupSize } from '../../../src/push/backup-reader';
import type { PushLogEntry } from '../../../src/push/push-types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pushbackup-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const entry = (seq: number, op: 'upsert' | 'delete' = 'upsert'): PushLogEntry => ({
  v: 1,
  seq,
  ts: '2026-01-01T00:00:00.000Z',
  op,
  dataset: 'sensors',
  resource: 'live',
  recordid: `r${seq}`,
  ...(op === 'upsert' ? { fields: { n: seq } } : {}),
});

async function readAll(path: string, fromOffset = 0) {
  const entries: PushLogEntry[] = [];
  const invalid: { line: number; reason: string }[] = [];
  let next = fromOffset;
  for await (const b of readBackup(path, { fromOffset, batchSize: 2 })) {
    entries.push(...b.entries.map((e) => e.entry));
    invalid.push(...b.invalid);
    next = b.nextOffset;
  }
  return { entries, invalid, next };
}

/** Appends entries as earlier versions of the gateway did: one JSON line each. */
const write = (path: string, entries: PushLogEntry[]) => appendFile(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));

describe('reading a push backup file of an earlier version (push log import)', () => {
  it('reads from an offset, in batches, and reports where to continue', async () => {
    const path = join(dir, 'sensors.ndjson');
    await write(path, [entry(1), entry(2), entry(3)]);
    const first = await readAll(path);
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(first.next).toBe(await backupSize(path));
    await write(path, [entry(4, 'delete')]);
    const tail = await readAll(path, first.next);
    expect(tail.entries).toEqual([entry(4, 'delete')]);
  });

  it('leaves a partial last line (an append in progress) for the next read', async () => {
    const path = join(dir, 'sensors.ndjson');
    await write(path, [entry(1)]);
    const line2 = `${JSON.stringify(entry(2))}\n`;
    await appendFile(path, line2.slice(0, 10));
    const first = await readAll(path);
    expect(first.entries.map((e) => e.seq)).toEqual([1]);
    await appendFile(path, line2.slice(10));
    const rest = await readAll(path, first.next);
    expect(rest.entries.map((e) => e.seq)).toEqual([2]);
  });

  it('reports lines that are not entries, and reads nothing from a missing file', async () => {
    const path = join(dir, 'sensors.ndjson');
    await appendFile(path, `${JSON.stringify(entry(1))}\n{oops\n${JSON.stringify({ ...entry(2), op: 'explode' })}\n`);
    const r = await readAll(path);
    expect(r.entries.map((e) => e.seq)).toEqual([1]);
    expect(r.invalid).toEqual([
      { line: 2, reason: 'not JSON' },
      { line: 3, reason: 'unknown op' },
    ]);
    expect((await readAll(join(dir, 'none.ndjson'))).entries).toEqual([]);
    expect(parseBackupLine(JSON.stringify({ ...entry(1), fields: undefined }))).toBe('upsert without fields');
  });
});
