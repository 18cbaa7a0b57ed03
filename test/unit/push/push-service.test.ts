import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import { isGatewayError, type GatewayError } from '../../../src/errors';
import { directoryFileStore } from '../../../src/files/file-store';
import { pushService } from '../../../src/push/push-service';
import { recordIdOf } from '../../../src/ingest/record-id';
import { fakeBackend } from '../../helpers/fake-backend';
import { memoryPushLog } from '../../helpers/memory-push-log';

const d = parseDescriptor({
  datasetid: 'sensors',
  metas: { title: 'Sensors' },
  fields: [
    { name: 'station', label: 'Station', type: 'text', annotations: [{ name: 'id' }] },
    { name: 'value', label: 'Value', type: 'double' },
    { name: 'photo', label: 'Photo', type: 'file' },
  ],
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pushsvc-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

function setup() {
  const backend = fakeBackend();
  backend.addDataset(d);
  const log = memoryPushLog();
  const files = directoryFileStore(join(dir, 'files'));
  let t = Date.parse('2026-03-01T10:00:00Z');
  const service = pushService({ backend, files, log, clock: () => new Date((t += 1000)) });
  const backupLines = async () => log.all();
  return { backend, service, backupLines, files };
}

async function caught(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    if (isGatewayError(e)) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

describe('push service', () => {
  it('writes valid records, logs them first, and upserts by the id fields', async () => {
    const { backend, service, backupLines } = setup();
    await service.push(d, 'live', [{ station: 'A', value: 1 }, { station: 'B', value: 2 }]);
    await service.push(d, 'live', [{ station: 'A', value: 3 }]);
    const recs = backend.recordsOf('sensors');
    expect(recs).toHaveLength(2);
    expect(recs.find((r) => r.fields?.station === 'A')?.fields?.value).toBe(3);
    const lines = await backupLines();
    // the log keeps the latest operation of each record: B, then A's second push
    expect(lines.map((l) => [l.op, l.fields?.station, l.fields?.value, l.resource])).toEqual([
      ['upsert', 'B', 2, 'live'],
      ['upsert', 'A', 3, 'live'],
    ]);
    expect(lines[1]!.seq).toBeGreaterThan(lines[0]!.seq);
    expect(lines[1]!.recordid).toBe(recordIdOf({ station: 'A' }, ['station']));
    // the write that reached the backend carries the log entry's seq as version
    const call = backend.calls.filter((c) => c.method === 'writeRecords').at(-1)!;
    expect((call.args[1] as { version: number }[])[0]!.version).toBe(lines[1]!.seq);
  });

  it('refuses a batch with an invalid record whole: nothing written, logged or stored', async () => {
    const { backend, service, backupLines } = setup();
    const png = { content: Buffer.from('fake').toString('base64'), 'content-type': 'image/png' };
    const e = await caught(service.push(d, 'live', [{ station: 'A', photo: png }, { station: 'B', value: 'lots' }, { station: 'C', nope: 1 }]));
    expect(e.status).toBe(400);
    expect(e.toBody()).toEqual({
      errorcode: 10400,
      problems: [
        { index: 1, field: 'value', error: 'expected a number, got "lots"' },
        { index: 2, field: 'nope', error: expect.stringMatching(/^unknown field "nope"/) },
      ],
      problems_count: 2,
      error: '2 of 3 records are invalid (2 problems); nothing was pushed: fix them and send the whole batch again',
    });
    expect(backend.calls.filter((c) => c.method === 'writeRecords')).toEqual([]);
    expect(await backupLines()).toEqual([]);
    expect(await readdir(join(dir)).then((l) => l.includes('files'))).toBe(false);
  });

  it('has the operation in the push log before it is sent to OpenSearch', async () => {
    const { backend, service, backupLines } = setup();
    const write = backend.writeRecords.bind(backend);
    const seenAtWrite: number[] = [];
    backend.writeRecords = async (id, writes) => {
      seenAtWrite.push((await backupLines()).length);
      return write(id, writes);
    };
    await service.push(d, 'live', [{ station: 'A' }, { station: 'B' }]);
    await service.deleteById(d, 'live', 'x');
    expect(seenAtWrite).toEqual([2, 3]);
  });

  it('deletes by values (the recordid computed as for a push) and by id, idempotently', async () => {
    const { backend, service, backupLines } = setup();
    await service.push(d, 'live', [{ station: 'A', value: 1 }, { station: 'B', value: 2 }, { station: 'C' }]);
    await service.deleteByValues(d, 'live', [{ station: 'A', value: 999 }]);
    await service.deleteById(d, 'live', recordIdOf({ station: 'B' }, ['station']));
    await service.deleteById(d, 'live', 'unknownid');
    expect(backend.recordsOf('sensors').map((r) => r.fields?.station)).toEqual(['C']);
    // compacted: C's upsert, then the three deletions (A's and B's replace their upserts)
    expect((await backupLines()).map((l) => [l.op, l.recordid])).toEqual([
      ['upsert', recordIdOf({ station: 'C' }, ['station'])],
      ['delete', recordIdOf({ station: 'A' }, ['station'])],
      ['delete', recordIdOf({ station: 'B' }, ['station'])],
      ['delete', 'unknownid'],
    ]);
  });

  it('stores pushed files and keeps the v1 file object in the record', async () => {
    const { backend, service, files } = setup();
    await service.push(d, 'live', [{ station: 'A', photo: { content: Buffer.from('%PDF').toString('base64'), 'content-type': 'application/pdf', filename: 'a.pdf' } }]);
    const photo = backend.recordsOf('sensors')[0]?.fields?.photo as { id: string };
    expect(photo).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), filename: 'a.pdf', mimetype: 'application/pdf', thumbnail: false });
    expect(await files.stat(photo.id)).toMatchObject({ size: 4 });
  });

  it('names the records the search backend refuses, after writing the others', async () => {
    const { backend, service } = setup();
    const bad = recordIdOf({ station: 'B' }, ['station']);
    backend.refuseWrite = (id) => (id === bad ? 'mapper_parsing_exception: nope' : undefined);
    const e = await caught(service.push(d, 'live', [{ station: 'A' }, { station: 'B' }]));
    expect(e.status).toBe(400);
    expect(e.toBody().problems).toEqual([{ index: 1, recordid: bad, error: 'refused by the search backend: mapper_parsing_exception: nope' }]);
    expect(backend.recordsOf('sensors').map((r) => r.fields?.station)).toEqual(['A']);
  });

  it('answers 503 with Retry-After, not a 400 naming the record, when OpenSearch cannot take a write for a moment', async () => {
    const { backend, service, backupLines } = setup();
    const b = recordIdOf({ station: 'B' }, ['station']);
    backend.refuseWrite = (id) => (id === b ? { status: 503, reason: 'unavailable_shards_exception: primary shard is not active' } : undefined);
    const e = await caught(service.push(d, 'live', [{ station: 'A' }, { station: 'B' }]));
    expect({ status: e.status, errorcode: e.errorcode, headers: e.headers }).toEqual({ status: 503, errorcode: 10503, headers: { 'Retry-After': '2' } });
    expect(e.message).toBe('The search backend is unavailable, retry later (1 of 2 writes could not be applied now: unavailable_shards_exception: primary shard is not active)');
    // both are logged: a reload (or the client's retry) applies B
    expect((await backupLines()).map((l) => l.fields?.station)).toEqual(['A', 'B']);
  });
});
