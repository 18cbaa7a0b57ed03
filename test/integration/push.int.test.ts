/**
 * Real-time push on a real OpenSearch node, with the push log in it and a real file store (a temporary directory),
 * with a dataset of our own under a throwaway index prefix, loaded through loadDataset and deleted at
 * the end. No mock of OpenSearch or of our code.
 */
import request from 'supertest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';
import { datasetRegistry } from '../../src/datasets/registry';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';
import type { Row, SourceRow } from '../../src/ingest/types';
import { recordIdOf } from '../../src/ingest/record-id';
import { directoryFileStore } from '../../src/files/file-store';
import { openSearchPushLog, type PushLog } from '../../src/push/push-log';
import { pushKeys } from '../../src/push/push-keys';
import { openSearchPushKeyStore } from '../../src/push/opensearch-push-key-store';
import { pushService } from '../../src/push/push-service';
import { pushReloadHooks } from '../../src/push/reload-hooks';
import { replayPushLog } from '../../src/push/replay';
import { runPushCli } from '../../src/cli/push';
import { sensorsDescriptor } from '../helpers/push-app';

jest.setTimeout(180_000);
const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const names = indexNames(`itpush${Date.now().toString(36)}`);
const alias = names.recordsAlias('sensors');

const descriptor = parseDescriptor(sensorsDescriptor);

/** The source file of the dataset: S0..S<n-1>. */
const sourceRows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ station: `S${i}`, value: i, at: '2024-01-01T00:00:00Z' }));
const rowsOf = (rows: Row[]): AsyncIterable<SourceRow> => (async function* () { let line = 0; for (const row of rows) yield { line: ++line, row }; })();

let client: Client;
let app: Express;
let dir: string;
let key: string;
let pushLog: PushLog;

const count = async (query: Record<string, unknown> = { match_all: {} }): Promise<number> =>
  ((await client.count({ index: alias, body: { query } as never })).body as { count: number }).count;
const byStation = (s: string) => ({ term: { 'fields.station.keyword': s } });
const push = (body: unknown) => request(app).post(`/api/push/1.0/sensors/live/push/?pushkey=${key}`).set('Content-Type', 'application/json').send(JSON.stringify(body));

beforeAll(async () => {
  client = createOpenSearchClient({ opensearchUrl: URL });
  dir = await mkdtemp(join(tmpdir(), 'itpush-'));
  await loadDataset({ client, names, datasetId: 'sensors', descriptor, source: { rows: rowsOf(sourceRows(3)) }, log: () => {} });
  const backend = openSearchBackend(client, names);
  const files = directoryFileStore(join(dir, 'files'));
  pushLog = openSearchPushLog(client, names);
  const keys = pushKeys(openSearchPushKeyStore(client, names));
  key = (await keys.create({ dataset: 'sensors', resource: 'live' })).key;
  app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    push: { service: pushService({ backend, files, log: pushLog }), keys },
    files,
  });
});

afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe('real-time push on a real node', () => {
  it('When a record is pushed, then it is searchable within 2 s', async () => {
    const started = Date.now();
    await push({ station: 'P1', value: 42, at: '2024-05-01T10:00:00Z' }).expect(200, { status: 'OK' });
    let seen = 0;
    for (let i = 0; i < 40 && seen === 0; i += 1) {
      seen = await count(byStation('P1'));
      if (seen === 0) await new Promise((r) => setTimeout(r, 50));
    }
    const elapsed = Date.now() - started;
    expect(seen).toBe(1);
    expect(elapsed).toBeLessThan(2000);
    // and the record API serves it
    const res = await request(app).get(`/api/datasets/1.0/sensors/records/${recordIdOf({ station: 'P1' }, ['station'])}/`).expect(200);
    expect(res.body.fields).toEqual({ station: 'P1', value: 42, at: '2024-05-01T10:00:00+00:00' });
  });

  it('When a record with the same id field is pushed, then it replaces the existing one (same recordid, count unchanged)', async () => {
    const before = await count();
    const id = recordIdOf({ station: 'S1' }, ['station']);
    await push([{ station: 'S1', value: 1001 }]).expect(200);
    expect(await count()).toBe(before);
    const doc = (await client.get({ index: alias, id })).body as { _source: { fields: Record<string, unknown> } };
    expect(doc._source.fields).toEqual({ station: 'S1', value: 1001 });
  });

  it('When records are deleted by values and by id, then they are gone', async () => {
    await push([{ station: 'D1' }, { station: 'D2' }]).expect(200);
    const before = await count();
    await request(app).post(`/api/push/1.0/sensors/live/delete/?pushkey=${key}`).send({ station: 'D1', value: 5 }).expect(200, { status: 'OK' });
    await request(app).get(`/api/push/1.0/sensors/live/${recordIdOf({ station: 'D2' }, ['station'])}/delete/?pushkey=${key}`).expect(200, { status: 'OK' });
    await client.indices.refresh({ index: alias });
    expect(await count()).toBe(before - 2);
    // a source record can be deleted too
    await request(app).get(`/api/push/1.0/sensors/live/${recordIdOf({ station: 'S2' }, ['station'])}/delete/?pushkey=${key}`).expect(200);
    await client.indices.refresh({ index: alias });
    expect(await count(byStation('S2'))).toBe(0);
  });

  it('When a batch violates the schema, then it is refused whole with every position', async () => {
    const before = await count();
    const res = await push([{ station: 'V1', value: 1 }, { station: 'V2', value: 'NaN?' }, { station: 'V3', extra: true }]).expect(400);
    expect(res.body.problems).toEqual([
      { index: 1, field: 'value', error: 'expected a number, got "NaN?"' },
      { index: 2, field: 'extra', error: expect.stringMatching(/^unknown field "extra"/) },
    ]);
    await client.indices.refresh({ index: alias });
    expect(await count()).toBe(before);
    expect(await count(byStation('V1'))).toBe(0);
  });

  it('When the body is over 5 MB, then the answer is 413 with a v1 body', async () => {
    const big = JSON.stringify(Array.from({ length: 600 }, (_, i) => ({ station: `B${i}`, value: i, at: 'x'.repeat(9000) })));
    const res = await push(big).expect(413);
    expect(res.body.errorcode).toBe(10413);
  });

  it('When the dataset is reloaded while pushes arrive, then no pushed record is lost (counts compared)', async () => {
    const before = await count();
    const source = sourceRows(3); // the same source file: S0, S1, S2
    let reloadDone = false;
    const pushed: string[] = [];
    let duringReload = 0;
    // ten clients pushing in bounded loops (each push waits for a refresh, ~0.5 s) until a few pushes after the reload
    const pusher = Promise.all(
      Array.from({ length: 10 }, async (_, client) => {
        for (let i = 0, after = 0; i < 100 && after < 2; i += 1) {
          if (reloadDone) after += 1;
          else duringReload += 1;
          const station = `R${client}-${i}`;
          const res = await push({ station, value: i });
          if (res.status !== 200) throw new Error(`push ${station} answered ${res.status}: ${res.text}`);
          pushed.push(station);
        }
      }),
    );
    // The reload must overlap many pushes whatever the machine's speed: its source pauses half-way
    // until at least 30 pushes were made during the reload (bounded: at most 30 s).
    const pacedRows = (rows: Row[]): AsyncIterable<SourceRow> =>
      (async function* () {
        let line = 0;
        for (const row of rows) {
          if (line === Math.floor(rows.length / 2)) {
            for (let waited = 0; duringReload < 30 && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
          }
          yield { line: ++line, row };
        }
      })();
    // a bigger reload so that it overlaps many pushes: the source plus padding rows that are deleted again below
    const padding = Array.from({ length: 3000 }, (_, i) => ({ station: `PAD${i}`, value: i }));
    const reload = loadDataset({
      client,
      names,
      datasetId: 'sensors',
      descriptor,
      source: { rows: pacedRows([...source, ...padding]) },
      swapHooks: pushReloadHooks({ log: pushLog }),
      log: () => {},
    }).finally(() => {
      reloadDone = true;
    });
    const result = await reload;
    await pusher;
    await client.indices.refresh({ index: alias });
    expect(result.previousIndices).toHaveLength(1);
    expect(duringReload).toBeGreaterThan(20); // the race was run
    // before + the pushes made during the reload + the padding rows of the new source
    expect(await count()).toBe(before + pushed.length + padding.length);
    expect(await count({ bool: { filter: [{ prefix: { 'fields.station.keyword': 'R' } }] } })).toBe(pushed.length);
    // pushes made before the reload are still applied over the new source: the upsert and the deletion
    const s1 = (await client.get({ index: alias, id: recordIdOf({ station: 'S1' }, ['station']) })).body as { _source: { fields: { value: number } } };
    expect(s1._source.fields.value).toBe(1001);
    expect(await count(byStation('S2'))).toBe(0);
    expect(await count(byStation('P1'))).toBe(1);
  });

  it('When the push log is replayed into the live dataset, then nothing changes (idempotent)', async () => {
    const before = await count();
    const r = await replayPushLog({ client, log: pushLog, index: alias, descriptor });
    expect(r.skippedCount).toBe(0);
    expect(r.upserts).toBeGreaterThan(0);
    expect(await count()).toBe(before);
  });

  it('When the push CLI manages keys, the switch and the push log, then the gateway sees it at once', async () => {
    const env = { OPENSEARCH_URL: URL, INDEX_PREFIX: names.prefix };
    const cli = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await runPushCli(['--json', ...args], { env, out: (x) => void (out += x), err: (x) => void (err += x) });
      return { code, json: out ? JSON.parse(out) : undefined, err };
    };
    const created = await cli('keys', 'create', 'sensors', 'cli', '--label', 'from the CLI');
    expect(created.code).toBe(0);
    const cliKey = created.json.key as string;
    await request(app).post(`/api/push/1.0/sensors/cli/push/?pushkey=${cliKey}`).send({ station: 'CLI1' }).expect(200);
    expect((await cli('keys', 'list', '--dataset', 'sensors')).json.keys.map((k: { resource: string }) => k.resource).sort()).toEqual(['cli', 'live']);
    expect((await cli('disable', 'sensors')).json).toEqual({ dataset: 'sensors', push_enabled: false });
    await request(app).post(`/api/push/1.0/sensors/cli/push/?pushkey=${cliKey}`).send({ station: 'CLI2' }).expect(403);
    expect((await cli('enable', 'sensors')).code).toBe(0);
    expect((await cli('status', 'sensors')).json).toMatchObject({ dataset: 'sensors', push_enabled: true });
    expect((await cli('keys', 'revoke', created.json.key_id)).code).toBe(0);
    await request(app).post(`/api/push/1.0/sensors/cli/push/?pushkey=${cliKey}`).send({ station: 'CLI3' }).expect(401);
    expect((await cli('keys', 'revoke', created.json.key_id)).code).toBe(2);
    const held = await pushLog.counts('sensors');
    expect(held.upserts).toBeGreaterThan(0);
    expect((await cli('log', 'show', 'sensors')).json).toEqual({ dataset: 'sensors', index: `${names.prefix}-push-log`, ...held });
    const before = await count();
    const replay = await cli('replay', 'sensors');
    expect(replay.code).toBe(0);
    expect(replay.json).toMatchObject({ dataset: 'sensors', skipped: 0 });
    expect(await count()).toBe(before);
    expect((await cli('replay', 'nosuchdataset')).code).toBe(2);
  });

  it('When a push backup file of an earlier version is imported, then its newest operations are replayed by the next replay', async () => {
    const env = { OPENSEARCH_URL: URL, INDEX_PREFIX: names.prefix };
    const cli = async (...args: string[]) => {
      let out = '';
      const code = await runPushCli(['--json', ...args], { env, out: (x) => void (out += x), err: () => undefined });
      return { code, json: out ? JSON.parse(out) : undefined };
    };
    const id = (station: string) => recordIdOf({ station }, ['station']);
    const line = (seq: number, op: 'upsert' | 'delete', station: string, value?: number) =>
      JSON.stringify({ v: 1, seq, ts: '2024-02-01T00:00:00.000Z', op, dataset: 'sensors', resource: 'live', recordid: id(station), ...(op === 'upsert' ? { fields: { station, value } } : {}) });
    const file = join(dir, 'sensors.ndjson');
    await writeFile(file, [line(1, 'upsert', 'OLD1', 1), line(2, 'upsert', 'OLD2', 2), line(3, 'upsert', 'OLD1', 3), line(4, 'delete', 'OLD2'), '{not json', JSON.stringify({ ...JSON.parse(line(5, 'upsert', 'X', 1)), dataset: 'other' })].join('\n') + '\n');
    const imported = await cli('log', 'import', 'sensors', file);
    expect(imported.code).toBe(0);
    expect(imported.json).toMatchObject({ dataset: 'sensors', imported: 4, skipped: 2 });
    expect((await cli('replay', 'sensors')).code).toBe(0);
    const old1 = (await client.get({ index: alias, id: id('OLD1') })).body as { _source: { fields: { value: number } } };
    expect(old1._source.fields.value).toBe(3);
    expect(await count(byStation('OLD2'))).toBe(0);
    expect((await cli('log', 'import', 'sensors', join(dir, 'none.ndjson'))).code).toBe(2);
  });
});
