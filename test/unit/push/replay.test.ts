import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import { fileBackup } from '../../../src/push/backup-writer';
import type { BackupEntry } from '../../../src/push/push-types';
import { pushReloadHooks } from '../../../src/push/reload-hooks';
import { replayBackup } from '../../../src/push/replay';
import { recordIdOf } from '../../../src/ingest/record-id';

const d = parseDescriptor({
  datasetid: 'sensors',
  metas: { title: 'Sensors' },
  fields: [
    { name: 'station', label: 'Station', type: 'text', annotations: [{ name: 'id' }] },
    { name: 'value', label: 'Value', type: 'int' },
  ],
});

const up = (seq: number, station: string, value: unknown, dataset = 'sensors'): BackupEntry => ({
  v: 1,
  seq,
  ts: `2026-01-01T00:00:0${seq}Z`,
  op: 'upsert',
  dataset,
  resource: 'live',
  recordid: recordIdOf({ station }, ['station']),
  fields: { station, value },
});
const del = (seq: number, station: string): BackupEntry => ({ v: 1, seq, ts: '2026-01-01T00:00:00Z', op: 'delete', dataset: 'sensors', resource: 'live', recordid: recordIdOf({ station }, ['station']) });

/** A client that records bulk bodies and refresh calls, and accepts everything. */
function recordingClient() {
  const bulks: { index: string; body: unknown[] }[] = [];
  const refreshed: string[] = [];
  const client = {
    bulk: async (p: { body: unknown[] }) => {
      const first = p.body[0] as Record<string, { _index: string }>;
      bulks.push({ index: Object.values(first)[0]!._index, body: p.body });
      return { body: { errors: false, items: [] } };
    },
    indices: { refresh: async (p: { index: string }) => void refreshed.push(p.index) },
  } as unknown as Client;
  return { client, bulks, refreshed };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replay-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('replaying the push backup', () => {
  it('rebuilds upserts with the current schema and writes every line with its seq as version', async () => {
    const b = fileBackup(dir);
    await b.append('sensors', [up(1, 'A', 1), del(2, 'B'), up(3, 'A', '7')]);
    const { client, bulks, refreshed } = recordingClient();
    const r = await replayBackup({ client, index: 'ods-records-sensors.v1', descriptor: d, path: b.pathOf('sensors') });
    expect(r).toMatchObject({ upserts: 2, deletes: 1, skippedCount: 0 });
    const idA = recordIdOf({ station: 'A' }, ['station']);
    expect(bulks[0]?.body).toEqual([
      { index: { _index: 'ods-records-sensors.v1', _id: idA, version: 1, version_type: 'external' } },
      { recordid: idA, record_timestamp: '2026-01-01T00:00:01Z', fields: { station: 'A', value: 1 } },
      { delete: { _index: 'ods-records-sensors.v1', _id: recordIdOf({ station: 'B' }, ['station']), version: 2, version_type: 'external' } },
      { index: { _index: 'ods-records-sensors.v1', _id: idA, version: 3, version_type: 'external' } },
      { recordid: idA, record_timestamp: '2026-01-01T00:00:03Z', fields: { station: 'A', value: 7 } },
    ]);
    expect(refreshed).toEqual(['ods-records-sensors.v1']);
  });

  it('skips, and reports, lines it cannot apply', async () => {
    const b = fileBackup(dir);
    await b.append('sensors', [up(1, 'A', 'not an int'), up(2, 'B', 2, 'other')]);
    await appendFile(b.pathOf('sensors'), 'garbage\n');
    const { client } = recordingClient();
    const r = await replayBackup({ client, index: 'x', descriptor: d, path: b.pathOf('sensors') });
    expect(r.upserts).toBe(0);
    expect(r.skipped).toEqual([
      { line: 3, reason: 'unreadable backup line: not JSON' },
      { line: 1, reason: expect.stringMatching(/no longer fits the schema: field "value": expected an integer/) },
      { line: 2, reason: 'entry of dataset other, not sensors' },
    ]);
  });

  it('around a reload: everything into the new index before the swap, then only the tail into the alias', async () => {
    const b = fileBackup(dir);
    await b.append('sensors', [up(1, 'A', 1), up(2, 'B', 2)]);
    const { client, bulks } = recordingClient();
    const hooks = pushReloadHooks({ backupPath: b.pathOf('sensors') });
    await hooks.beforeSwap({ client, index: 'new-index', descriptor: d });
    await b.append('sensors', [up(3, 'C', 3)]); // pushed while the alias was being swapped
    await hooks.afterSwap({ client, alias: 'the-alias', index: 'new-index', descriptor: d });
    expect(bulks.map((x) => [x.index, x.body.length])).toEqual([
      ['new-index', 4],
      ['the-alias', 2],
    ]);
    // nothing new: no second tail replay
    await hooks.afterSwap({ client, alias: 'the-alias', index: 'new-index', descriptor: d });
    expect(bulks).toHaveLength(2);
  });

  it('does nothing around a reload without a backup', async () => {
    const { client, bulks } = recordingClient();
    const hooks = pushReloadHooks({ backupPath: join(dir, 'none.ndjson') });
    await hooks.beforeSwap({ client, index: 'i', descriptor: d });
    await hooks.afterSwap({ client, alias: 'a', index: 'i', descriptor: d });
    expect(bulks).toEqual([]);
  });
});
