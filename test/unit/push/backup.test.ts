import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBackupLine, readBackup, backupSize } from '../../../src/push/backup-reader';
import { fileBackup } from '../../../src/push/backup-writer';
import type { BackupEntry } from '../../../src/push/push-types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pushbackup-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const entry = (seq: number, op: 'upsert' | 'delete' = 'upsert'): BackupEntry => ({
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
  const entries: BackupEntry[] = [];
  const invalid: { line: number; reason: string }[] = [];
  let next = fromOffset;
  for await (const b of readBackup(path, { fromOffset, batchSize: 2 })) {
    entries.push(...b.entries.map((e) => e.entry));
    invalid.push(...b.invalid);
    next = b.nextOffset;
  }
  return { entries, invalid, next };
}

describe('the push backup', () => {
  it('appends one NDJSON line per operation, to one file per dataset', async () => {
    const b = fileBackup(dir);
    await b.append('sensors', [entry(1), entry(2, 'delete')]);
    await b.append('other', [entry(3)]);
    expect(b.pathOf('sensors')).toBe(join(dir, 'sensors.ndjson'));
    const lines = (await readFile(b.pathOf('sensors'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([entry(1), entry(2, 'delete')]);
    expect(() => b.pathOf('../x')).toThrow(/Invalid dataset id/);
  });

  it('never interleaves concurrent appends', async () => {
    const b = fileBackup(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => b.append('sensors', [entry(i * 2 + 1), entry(i * 2 + 2)])));
    const { entries } = await readAll(b.pathOf('sensors'));
    expect(entries).toHaveLength(100);
    // each append's two lines are adjacent
    for (let i = 0; i < 100; i += 2) expect(entries[i + 1]!.seq).toBe(entries[i]!.seq + 1);
  });

  it('reads from an offset, in batches, and reports where to continue', async () => {
    const b = fileBackup(dir);
    await b.append('sensors', [entry(1), entry(2), entry(3)]);
    const first = await readAll(b.pathOf('sensors'));
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(first.next).toBe(await backupSize(b.pathOf('sensors')));
    await b.append('sensors', [entry(4)]);
    const tail = await readAll(b.pathOf('sensors'), first.next);
    expect(tail.entries.map((e) => e.seq)).toEqual([4]);
  });

  it('leaves a partial last line (an append in progress) for the next read', async () => {
    const b = fileBackup(dir);
    await b.append('sensors', [entry(1)]);
    const path = b.pathOf('sensors');
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
