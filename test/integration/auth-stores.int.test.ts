/**
 * The identity and token stores on the real services: the TokenStore contract on Redis (atomic Lua
 * scripts, TTLs) with a key prefix of its own, and the IdentityStore on the OpenSearch security
 * index (created on first write with a strict mapping) under an index prefix of its own.
 */
import { Redis } from 'ioredis';
import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { indexNames } from '../../src/datasets/index-names';
import { openSearchIdentityStore } from '../../src/auth/opensearch-identity-store';
import { redisTokenStore } from '../../src/auth/redis-token-store';
import { identityService } from '../../src/auth/identity';
import { sha256 } from '../../src/auth/secrets';
import { tokenStoreContract } from '../unit/auth/token-store.contract';

jest.setTimeout(60_000);

const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const REDIS_PREFIX = `authtest:${run}:`;
const names = indexNames(`itauth${run}`);

let redis: Redis;
let client: Client;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL });
});

afterAll(async () => {
  const keys = await redis.keys(`${REDIS_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await client.indices.delete({ index: names.securityIndex }).catch(() => undefined);
  await client.close();
});

describe('redisTokenStore (the TokenStore contract on a real Redis)', () => {
  tokenStoreContract(() => redisTokenStore(redis, REDIS_PREFIX), {
    expire: (seconds) => new Promise((r) => setTimeout(r, seconds * 1000 + 300)),
  });

  it('When tokens are stored, then Redis holds only hashes under the prefix, each with a TTL', async () => {
    const store = redisTokenStore(redis, REDIS_PREFIX);
    const access = 'A'.repeat(30);
    const refresh = 'R'.repeat(30);
    await store.issue({
      grant: { grantId: `g${run}`, clientId: 'c', username: 'alice', scope: 'all' },
      accessHash: sha256(access),
      accessTtlSeconds: 3600,
      refreshHash: sha256(refresh),
      refreshTtlSeconds: 7200,
    });
    const keys = await redis.keys(`${REDIS_PREFIX}*`);
    expect(keys.some((k) => k.includes(access) || k.includes(refresh))).toBe(false);
    expect(keys).toContain(`${REDIS_PREFIX}at:${sha256(access)}`);
    const ttl = await redis.ttl(`${REDIS_PREFIX}at:${sha256(access)}`);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(await redis.ttl(`${REDIS_PREFIX}rt:${sha256(refresh)}`)).toBeGreaterThan(7100);
    for (const k of keys) expect(await redis.ttl(k)).toBeGreaterThan(0);
  });

  it('When Redis is unreachable, then the store answers 503 store_unavailable (never a success)', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const store = redisTokenStore(dead, REDIS_PREFIX);
    await expect(store.getAccessToken('x')).rejects.toMatchObject({ kind: 'store_unavailable', status: 503 });
    await expect(store.consumeCode('x', 60)).rejects.toMatchObject({ kind: 'store_unavailable' });
    dead.disconnect();
  });
});

describe('openSearchIdentityStore (security index)', () => {
  it('When nothing was written yet, then reads answer "nothing" without creating the index', async () => {
    const store = openSearchIdentityStore(client, names.securityIndex);
    expect(await store.getUser('alice')).toBeUndefined();
    expect(await store.listUsers()).toEqual([]);
    expect(await store.getAccessRules('movies')).toEqual([]);
    expect((await client.indices.exists({ index: names.securityIndex })).body).toBe(false);
  });

  it('When an identity is written, then the index exists with 1 shard, hidden, dynamic strict, and everything round-trips', async () => {
    const store = openSearchIdentityStore(client, names.securityIndex);
    const identity = identityService(store, { cacheTtlMs: 0 });
    await identity.putGroup({ name: 'north', attributes: { region: 'north', codes: ['a', 'b'] } });
    await identity.putUser({ username: 'alice', password: 'alice-password', groups: ['north'], attributes: { 'city.name': 'Paris' } });
    const { key, record } = await identity.createApiKey({ username: 'alice', label: 'it' });
    const reg = await identity.registerClient({ name: 'App', type: 'confidential', redirect_uris: ['https://a.example/cb'] });
    await identity.putAccessRule({ dataset: 'movies', subject: 'group:north', record_filter: '#attr(country, region)', hidden_fields: ['budget'] });
    await identity.putAccessRule({ dataset: 'movies', subject: 'anonymous', hidden_fields: ['gross'] });

    const settings = (await client.indices.getSettings({ index: names.securityIndex })).body as Record<string, { settings: { index: Record<string, unknown> } }>;
    expect(settings[names.securityIndex]!.settings.index).toMatchObject({ number_of_shards: '1', hidden: 'true' });
    const mapping = (await client.indices.getMapping({ index: names.securityIndex })).body as Record<string, { mappings: { dynamic?: string } }>;
    expect(mapping[names.securityIndex]!.mappings.dynamic).toBe('strict');

    expect(await identity.principalForApiKey(key)).toMatchObject({ userId: 'alice', groups: ['north'], attributes: { region: 'north', codes: ['a', 'b'], 'city.name': 'Paris' } });
    expect((await identity.checkPassword('alice', 'alice-password'))?.username).toBe('alice');
    expect((await identity.listApiKeys('alice')).map((k) => k.keyId)).toEqual([record.keyId]);
    expect((await identity.getClient(reg.client.clientId))?.redirectUris).toEqual(['https://a.example/cb']);
    expect((await identity.accessRules('movies')).map((r) => r.subject)).toEqual([{ type: 'anonymous' }, { type: 'group', name: 'north' }]);

    // Nothing in clear in the index.
    const all = await client.search({ index: names.securityIndex, body: { size: 100, query: { match_all: {} } } });
    const dump = JSON.stringify(all.body.hits.hits);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(reg.clientSecret!);
    expect(dump).not.toContain('alice-password');

    // A field outside the mapping is refused (dynamic: strict).
    await expect(client.index({ index: names.securityIndex, id: 'x', body: { kind: 'user', surprise: 1 } })).rejects.toThrow(/strict_dynamic_mapping_exception|not allowed/);

    await identity.revokeApiKey(record.keyId);
    expect(await identity.principalForApiKey(key)).toBeUndefined();
    await identity.deleteUser('alice');
    expect(await identity.getUser('alice')).toBeUndefined();
    await identity.deleteAccessRule('movies', 'anonymous');
    expect(await identity.accessRules('movies')).toHaveLength(1);
  });

  it('When OpenSearch is unreachable, then operations fail with 503 (so the bootstrap waits and requests answer Retry-After)', async () => {
    const down = createOpenSearchClient({ opensearchUrl: 'http://127.0.0.1:1', opensearchRequestTimeoutMs: 500 });
    const store = openSearchIdentityStore(down, names.securityIndex);
    await expect(store.getUser('x')).rejects.toMatchObject({ status: 503 });
    await expect(store.putGroup({ name: 'g', attributes: {}, createdAt: '' })).rejects.toMatchObject({ status: 503 });
    await down.close();
  });
});
