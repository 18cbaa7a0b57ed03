import type { Client } from '@opensearch-project/opensearch';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import type { PushLogEntry } from '../../../src/push/push-types';
import { pushReloadHooks } from '../../../src/push/reload-hooks';
import { replayPushLog } from '../../../src/push/replay';
import { recordIdOf } from '../../../src/ingest/record-id';
import { memoryPushLog } from '../../helpers/memory-push-log';

const d = parseDescriptor({
  datasetid: 'sensors',
  metas: { title: 'Sensors' },
  fields: [
    { name: 'station', label: 'Station', type: 'text', annotations: [{ name: 'id' }] },
    { name: 'value', label: 'Value', type: 'int' },
  ],
});

const up = (seq: number, station: string, value: unknown, dataset = 'sensors'): PushLogEntry => ({
  v: 1,
  seq,
  ts: `2026-01-01T00:00:0${seq}Z`,
  op: 'upsert',
  dataset,
  resource: 'live',
  recordid: recordIdOf({ station }, ['station']),
  fields: { station, value },
});
const del = (seq: number, station: string): PushLogEntry => ({ v: 1, seq, ts: '2026-01-01T00:00:00Z', op: 'delete', dataset: 'sensors', resource: 'live', recordid: recordIdOf({ station }, ['station']) });

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

describe('replaying the push log', () => {
  it('rebuilds upserts with the current schema and writes every entry with its seq as version', async () => {
    const log = memoryPushLog();
    await log.append('sensors', [up(1, 'A', 1), del(2, 'B')]);
    await log.append('sensors', [up(3, 'C', '7')]);
    const { client, bulks, refreshed } = recordingClient();
    const r = await replayPushLog({ client, log, index: 'ods-records-sensors.v1', descriptor: d });
    expect(r).toMatchObject({ upserts: 2, deletes: 1, skippedCount: 0 });
    const idA = recordIdOf({ station: 'A' }, ['station']);
    const idC = recordIdOf({ station: 'C' }, ['station']);
    expect(bulks[0]?.body).toEqual([
      { index: { _index: 'ods-records-sensors.v1', _id: idA, version: 1, version_type: 'external' } },
      { recordid: idA, record_timestamp: '2026-01-01T00:00:01Z', fields: { station: 'A', value: 1 } },
      { delete: { _index: 'ods-records-sensors.v1', _id: recordIdOf({ station: 'B' }, ['station']), version: 2, version_type: 'external' } },
      { index: { _index: 'ods-records-sensors.v1', _id: idC, version: 3, version_type: 'external' } },
      { recordid: idC, record_timestamp: '2026-01-01T00:00:03Z', fields: { station: 'C', value: 7 } },
    ]);
    expect(refreshed).toEqual(['ods-records-sensors.v1']);
  });

  it('skips, and reports, entries that no longer fit the schema', async () => {
    const log = memoryPushLog();
    await log.append('sensors', [up(1, 'A', 'not an int'), up(2, 'B', 2)]);
    const { client } = recordingClient();
    const r = await replayPushLog({ client, log, index: 'x', descriptor: d });
    expect(r.upserts).toBe(1);
    expect(r.skipped).toEqual([
      { recordid: recordIdOf({ station: 'A' }, ['station']), reason: expect.stringMatching(/no longer fits the schema: field "value": expected an integer/) },
    ]);
  });

  it('around a reload: everything into the new index before the swap, then only what was logged since into the alias', async () => {
    const log = memoryPushLog();
    await log.append('sensors', [up(1, 'A', 1), up(2, 'B', 2)]);
    await log.append('other', [up(3, 'X', 1, 'other')]);
    const { client, bulks } = recordingClient();
    const hooks = pushReloadHooks({ log });
    await hooks.beforeSwap({ client, index: 'new-index', descriptor: d });
    await log.append('sensors', [up(4, 'C', 3), up(5, 'A', 5)]); // pushed while the alias was being swapped
    await hooks.afterSwap({ client, alias: 'the-alias', index: 'new-index', descriptor: d });
    expect(bulks.map((x) => [x.index, (x.body as { index?: { _id: string; version: number } }[]).flatMap((l) => (l.index ? [l.index.version] : []))])).toEqual([
      ['new-index', [1, 2]],
      ['the-alias', [4, 5]],
    ]);
  });

  it('does nothing around a reload when nothing was pushed', async () => {
    const { client, bulks } = recordingClient();
    const hooks = pushReloadHooks({ log: memoryPushLog() });
    await hooks.beforeSwap({ client, index: 'i', descriptor: d });
    await hooks.afterSwap({ client, alias: 'a', index: 'i', descriptor: d });
    expect(bulks).toEqual([]);
  });
});
