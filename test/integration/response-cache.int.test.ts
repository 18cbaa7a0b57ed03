/**
 * The response cache (src/cache) on a real OpenSearch node and the real Redis: two gateway replicas
 * (two apps, each with its own cache) share the dataset generations in Redis, as two processes
 * would. Every expectation is computed from OpenSearch or from the rows the test wrote, never from
 * a gateway answer; `X-Cache` only proves that the cache was really in the way.
 */
import request from 'supertest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import type { Redis } from 'ioredis';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';
import { datasetRegistry } from '../../src/datasets/registry';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';
import type { Row, SourceRow } from '../../src/ingest/types';
import { createAuth } from '../../src/auth/wiring';
import type { AuthServices } from '../../src/auth/services';
import { directoryFileStore } from '../../src/files/file-store';
import { openSearchPushLog } from '../../src/push/push-log';
import { pushKeys } from '../../src/push/push-keys';
import { openSearchPushKeyStore } from '../../src/push/opensearch-push-key-store';
import { pushService } from '../../src/push/push-service';
import { redisGenerations, reloadGenerationBumper } from '../../src/cache/generations';
import { sensorsDescriptor } from '../helpers/push-app';
import { REDIS_URL, redisClient } from '../helpers/quota-support';

jest.setTimeout(120_000);
const URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const names = indexNames(`itcache${run}`);
const alias = names.recordsAlias('sensors');
const descriptor = parseDescriptor(sensorsDescriptor);

const sourceRows = (n: number, tag = 'S'): Row[] => Array.from({ length: n }, (_, i) => ({ station: `${tag}${i}`, value: i, at: '2024-01-01T00:00:00Z' }));
const rowsOf = (rows: Row[]): AsyncIterable<SourceRow> => (async function* () { let line = 0; for (const row of rows) yield { line: ++line, row }; })();

let client: Client;
let redis: Redis[] = [];
let dir: string;
let auth: AuthServices;
let pushKey: string;
const apikeys: Record<string, string> = {};
let replicas: ReturnType<typeof createApp>[] = [];

const count = async (query: Record<string, unknown> = { match_all: {} }): Promise<number> => {
  await client.indices.refresh({ index: alias });
  return ((await client.count({ index: alias, body: { query } as never })).body as { count: number }).count;
};
const term = (station: string) => ({ term: { 'fields.station.keyword': station } });

beforeAll(async () => {
  client = createOpenSearchClient({ opensearchUrl: URL });
  dir = await mkdtemp(join(tmpdir(), 'itcache-'));
  await loadDataset({ client, names, datasetId: 'sensors', descriptor, source: { rows: rowsOf(sourceRows(5)) }, log: () => {} });
  auth = createAuth(
    {
      publicUrl: 'http://gateway.test',
      indexPrefix: names.prefix,
      identityCacheTtlMs: 0,
      oauth2CodeTtlSeconds: 60,
      oauth2AccessTokenTtlSeconds: 3600,
      oauth2RefreshTokenTtlSeconds: 86400,
      oauth2SessionTtlSeconds: 600,
    },
    { client, names, redis: undefined },
  );
  for (const u of ['ann', 'bea', 'cid']) {
    await auth.identity.putUser({ username: u });
    apikeys[u] = (await auth.identity.createApiKey({ username: u })).key;
  }
  await auth.identity.putAccessRule({ dataset: 'sensors', subject: 'user:ann', record_filter: 'station:S1' });
  await auth.identity.putAccessRule({ dataset: 'sensors', subject: 'user:bea', record_filter: 'station:S2' });
  const backend = openSearchBackend(client, names);
  const files = directoryFileStore(join(dir, 'files'));
  const keys = pushKeys(openSearchPushKeyStore(client, names));
  pushKey = (await keys.create({ dataset: 'sensors', resource: 'live' })).key;
  redis = [await redisClient(), await redisClient(), await redisClient(), await redisClient()];
  // Two replicas: their own registry (descriptors kept 60 s, so only the generation can tell them
  // of a write) and their own cache; the generations in the one Redis, bumped on one connection and
  // read on another (pipelined, as src/main.ts reads them on the quota's connection).
  replicas = redis.slice(0, 2).map((r, i) =>
    createApp({
      config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
      logger: createLogger('silent'),
      backend,
      registry: datasetRegistry(backend, 60_000),
      auth,
      push: { service: pushService({ backend, files, log: openSearchPushLog(client, names) }), keys },
      files,
      responseCache: { generations: redisGenerations(r, names.prefix, redis[i + 2]!), maxBytes: 8 << 20, ttlMs: 60_000, nowTtlMs: 1000 },
    }),
  );
});

afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await client.indices.delete({ index: names.securityIndex }).catch(() => undefined);
  await client.close();
  for (const r of redis) {
    await r.del(`${names.prefix}:cache-gen:sensors`).catch(() => undefined);
    r.disconnect();
  }
  await rm(dir, { recursive: true, force: true });
});

const SEARCH = '/api/records/1.0/search?dataset=sensors&rows=100&sort=value';
const stationsOf = (body: { records: { fields: { station: string } }[] }) => body.records.map((r) => r.fields.station).sort();

/** GET twice on a replica: the second answer must come from the cache and equal the first. */
async function cachedTwice(app: ReturnType<typeof createApp>, path: string, apikey?: string) {
  const get = () => (apikey ? request(app).get(path).set('Authorization', `Apikey ${apikey}`) : request(app).get(path));
  const first = await get().expect(200);
  const second = await get().expect(200);
  expect(second.headers['x-cache']).toBe('hit');
  expect(second.text).toBe(first.text);
  return second;
}

describe('response cache: no stale answer after a write, a permission change or a reload', () => {
  it('When a push is answered 200 on one replica, then the next search on the other replica sees it', async () => {
    const [a, b] = replicas as [ReturnType<typeof createApp>, ReturnType<typeof createApp>];
    const before = await cachedTwice(b!, SEARCH);
    expect(before.body.nhits).toBe(await count());
    expect(stationsOf(before.body)).not.toContain('P1');
    await request(a!).post(`/api/push/1.0/sensors/live/push/?pushkey=${pushKey}`).set('Content-Type', 'application/json')
      .send(JSON.stringify({ station: 'P1', value: 99, at: '2024-05-01T10:00:00Z' })).expect(200);
    const after = await request(b!).get(SEARCH).expect(200);
    expect(after.headers['x-cache']).toBe('miss');
    expect(await count(term('P1'))).toBe(1);
    expect(after.body.nhits).toBe(await count());
    expect(stationsOf(after.body)).toContain('P1');
  });

  it('When two users with different record filters ask the same URL, then each gets their own records, cached apart', async () => {
    const app = replicas[0]!;
    const ann = await cachedTwice(app, SEARCH, apikeys.ann);
    const bea = await cachedTwice(app, SEARCH, apikeys.bea);
    expect(stationsOf(ann.body)).toEqual(['S1']);
    expect(stationsOf(bea.body)).toEqual(['S2']);
    expect(ann.body.nhits).toBe(await count(term('S1')));
    expect(bea.body.nhits).toBe(await count(term('S2')));
  });

  it('When a push is answered 200, then the next v2.1 records call on the other replica sees it; record filters keep v2.1 entries apart', async () => {
    const [a, b] = replicas as [ReturnType<typeof createApp>, ReturnType<typeof createApp>];
    const path = '/api/explore/v2.1/catalog/datasets/sensors/records?limit=100&order_by=station';
    const stations = (body: { results: { station: string }[] }) => body.results.map((r) => r.station).sort();
    const before = await cachedTwice(b, path);
    expect(before.body.total_count).toBe(await count());
    expect(stations(before.body)).not.toContain('V21');
    await request(a).post(`/api/push/1.0/sensors/live/push/?pushkey=${pushKey}`).set('Content-Type', 'application/json')
      .send(JSON.stringify({ station: 'V21', value: 7, at: '2024-06-01T10:00:00Z' })).expect(200);
    const after = await request(b).get(path).expect(200);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.total_count).toBe(await count());
    expect(stations(after.body)).toContain('V21');
    const ann = await cachedTwice(b, path, apikeys.ann);
    expect(ann.body.total_count).toBe(await count(term('S1')));
    expect(stations(ann.body).every((s) => s === 'S1')).toBe(true);
  });

  it('When a record filter or the hidden fields change, then the next request obeys the new rule', async () => {
    const app = replicas[1]!;
    const path = '/api/records/1.0/search?dataset=sensors&rows=100&q=station:S3';
    const open = await cachedTwice(app, path, apikeys.cid);
    expect(open.body.nhits).toBe(1);
    expect(Object.keys(open.body.records[0].fields)).toContain('value');
    await auth.identity.putAccessRule({ dataset: 'sensors', subject: 'user:cid', hidden_fields: ['value'] });
    const hidden = await request(app).get(path).set('Authorization', `Apikey ${apikeys.cid}`).expect(200);
    expect(hidden.body.nhits).toBe(1);
    expect(Object.keys(hidden.body.records[0].fields)).not.toContain('value');
    await auth.identity.putAccessRule({ dataset: 'sensors', subject: 'user:cid', record_filter: 'station:S4' });
    const filtered = await request(app).get(path).set('Authorization', `Apikey ${apikeys.cid}`).expect(200);
    expect(filtered.body.nhits).toBe(0);
  });

  it("When the dataset is reloaded (the ingest CLI's generation bump at the swap), then the new data is served at once", async () => {
    const app = replicas[0]!;
    const old = await cachedTwice(app, SEARCH);
    expect(stationsOf(old.body)).toContain('S0');
    const warnings: string[] = [];
    const bumper = reloadGenerationBumper(REDIS_URL, names.prefix, (l) => warnings.push(l));
    try {
      await loadDataset({ client, names, datasetId: 'sensors', descriptor, source: { rows: rowsOf(sourceRows(3, 'R')) }, log: () => {}, onSwapped: bumper.onSwapped! });
    } finally {
      await bumper.close();
    }
    expect(warnings).toEqual([]);
    const fresh = await request(app).get(SEARCH).expect(200);
    expect(fresh.body.nhits).toBe(await count());
    expect(stationsOf(fresh.body)).toEqual(['R0', 'R1', 'R2']);
  });

  it('When a query uses #now, then its answer is not served past RESPONSE_CACHE_NOW_TTL_MS', async () => {
    const app = replicas[0]!;
    const path = `/api/records/1.0/search?dataset=sensors&rows=0&q=${encodeURIComponent('at <= #now()')}`;
    const pastCount = async () => count({ range: { 'fields.at': { lte: new Date().toISOString() } } });
    // A record "in the future": it enters `at <= #now()` 2.5 s from now.
    const futureMs = Date.now() + 2500;
    await request(app).post(`/api/push/1.0/sensors/live/push/?pushkey=${pushKey}`).set('Content-Type', 'application/json')
      .send(JSON.stringify({ station: 'FUTURE', value: -1, at: new Date(futureMs).toISOString().replace(/\.\d+Z$/, 'Z') })).expect(200);
    const early = await cachedTwice(app, path);
    expect(early.body.nhits).toBe(await pastCount());
    // once the future record's time has passed, and past the 1 s ceiling
    expect(Date.now()).toBeLessThan(futureMs - 500);
    await new Promise((r) => setTimeout(r, Math.max(0, futureMs - Date.now()) + 1100));
    const late = await request(app).get(path).expect(200);
    expect(late.body.nhits).toBe(await pastCount());
    expect(late.body.nhits).toBe(early.body.nhits + 1);
  });

  it('When a client sends the ETag of a cached answer back, then it gets a 304 without a body', async () => {
    const app = replicas[1]!;
    const path = '/api/datasets/1.0/sensors';
    const first = await cachedTwice(app, path);
    expect(first.headers.etag).toBeDefined();
    const again = await request(app).get(path).set('If-None-Match', first.headers.etag!).expect(304);
    expect(again.text).toBe('');
    expect(again.headers['x-cache']).toBe('hit');
  });
});
