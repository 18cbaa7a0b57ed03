import { identityService, IdentityInputError, IdentityNotFoundError } from '../../../src/auth/identity';
import { memoryIdentityStore } from '../../../src/auth/identity-store';
import { sha256 } from '../../../src/auth/secrets';

async function setup(cacheTtlMs = 0) {
  const clock = { now: 1_700_000_000_000 };
  const store = memoryIdentityStore();
  const identity = identityService(store, { cacheTtlMs, clock: () => clock.now });
  await identity.putGroup({ name: 'north', attributes: { region: 'north', level: 'group', tags: ['a', 'b'] } });
  await identity.putGroup({ name: 'east', attributes: { region: 'east' } });
  await identity.putUser({ username: 'alice', password: 'alice-password', groups: ['north', 'east', 'undefined-group'], attributes: { level: 'user' } });
  return { clock, store, identity };
}

describe('identity service', () => {
  it('resolves an API key to its user, with group attributes merged under the user ones', async () => {
    const { identity } = await setup();
    const { key, record } = await identity.createApiKey({ username: 'alice', label: 'dashboard' });
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(await identity.principalForApiKey(key)).toEqual({
      kind: 'user',
      userId: 'alice',
      groups: ['north', 'east', 'undefined-group'],
      attributes: { region: 'east', level: 'user', tags: ['a', 'b'] },
      via: 'apikey',
      credentialId: record.keyId,
      admin: false,
    });
    expect(await identity.principalForApiKey(`${key}x`)).toBeUndefined();
    expect(await identity.principalForApiKey('x'.repeat(10_000))).toBeUndefined();
  });

  it('stores only the sha256 of keys, and secrets of clients; nothing in clear', async () => {
    const { identity, store } = await setup();
    const { key } = await identity.createApiKey({ username: 'alice' });
    const reg = await identity.registerClient({ name: 'App', type: 'confidential', redirect_uris: ['https://a.example/cb'] });
    const dump = JSON.stringify([await store.listApiKeys(), await store.listClients(), await store.listUsers()]);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(reg.clientSecret!);
    expect(dump).not.toContain('alice-password');
    expect(dump).toContain(sha256(key));
    expect(reg.clientSecret).toMatch(/^[A-Za-z0-9]{40}$/);
    const pubClient = await identity.registerClient({ name: 'Mobile', type: 'public', redirect_uris: ['com.x:/cb'] });
    expect(pubClient.clientSecret).toBeUndefined();
    expect(pubClient.client.secretHash).toBeUndefined();
  });

  it('revokes keys by id, and deleting a user deletes its keys', async () => {
    const { identity } = await setup();
    const a = await identity.createApiKey({ username: 'alice' });
    const b = await identity.createApiKey({ username: 'alice' });
    await identity.revokeApiKey(a.record.keyId);
    expect(await identity.principalForApiKey(a.key)).toBeUndefined();
    expect(await identity.principalForApiKey(b.key)).toBeDefined();
    await expect(identity.revokeApiKey(a.record.keyId)).rejects.toThrow(IdentityNotFoundError);
    await identity.deleteUser('alice');
    expect(await identity.principalForApiKey(b.key)).toBeUndefined();
    expect(await identity.listApiKeys('alice')).toEqual([]);
  });

  it('caches a resolved key for IDENTITY_CACHE_TTL_MS, and forgets at once after a change made here', async () => {
    const { identity, store, clock } = await setup(5000);
    const { key, record } = await identity.createApiKey({ username: 'alice' });
    expect(await identity.principalForApiKey(key)).toBeDefined();
    // A change made elsewhere (another replica) is seen after the TTL.
    await store.deleteApiKey(record.keyId);
    expect(await identity.principalForApiKey(key)).toBeDefined();
    clock.now += 5001;
    expect(await identity.principalForApiKey(key)).toBeUndefined();
    // A change made through this service applies at once.
    const c = await identity.createApiKey({ username: 'alice' });
    expect(await identity.principalForApiKey(c.key)).toBeDefined();
    await identity.revokeApiKey(c.record.keyId);
    expect(await identity.principalForApiKey(c.key)).toBeUndefined();
  });

  it('checks passwords, the same way for unknown users', async () => {
    const { identity } = await setup();
    expect((await identity.checkPassword('alice', 'alice-password'))?.username).toBe('alice');
    expect(await identity.checkPassword('alice', 'wrong-password')).toBeUndefined();
    expect(await identity.checkPassword('nobody', 'alice-password')).toBeUndefined();
    expect(await identity.checkPassword('x'.repeat(500), 'p')).toBeUndefined();
  });

  it('validates input and names the problem', async () => {
    const { identity } = await setup();
    await expect(identity.putUser({ username: 'bad name' })).rejects.toThrow(/username/);
    await expect(identity.putUser({ username: 'ok', password: 'short' })).rejects.toThrow(/at least 8/);
    await expect(identity.createApiKey({ username: 'nobody' })).rejects.toThrow(IdentityNotFoundError);
    await expect(identity.registerClient({ name: 'x', type: 'confidential', redirect_uris: ['https://a.example/cb#frag'] })).rejects.toThrow(IdentityInputError);
    await expect(identity.registerClient({ name: 'x', type: 'confidential', redirect_uris: ['not a url'] })).rejects.toThrow(/redirect_uris.0/);
    await expect(identity.putAccessRule({ dataset: 'Bad!', subject: 'user:alice' })).rejects.toThrow(/dataset/);
    await expect(identity.putAccessRule({ dataset: 'ok', subject: 'someone' })).rejects.toThrow(/subject/);
    await expect(identity.putAccessRule({ dataset: 'ok', subject: 'user:alice', hidden_fields: ['Bad Field'] })).rejects.toThrow(/hidden_fields/);
    await expect(identity.putAccessRule({ dataset: 'ok', subject: 'user:alice', record_filter: 'a:1 AND (' })).rejects.toThrow(/Invalid access rule: Invalid query in parameter "record_filter"/);
  });

  it('keeps one rule per dataset and subject', async () => {
    const { identity } = await setup();
    await identity.putAccessRule({ dataset: 'd', subject: 'group:north', record_filter: 'a:1', hidden_fields: ['x'] });
    await identity.putAccessRule({ dataset: 'd', subject: 'group:north', record_filter: 'a:2' });
    await identity.putAccessRule({ dataset: 'd', subject: 'anonymous', hidden_fields: ['y'] });
    const rules = await identity.accessRules('d');
    expect(rules.map((r) => [r.subject, r.recordFilter, r.hiddenFields])).toEqual([
      [{ type: 'group', name: 'north' }, 'a:2', []],
      [{ type: 'anonymous' }, undefined, ['y']],
    ]);
    await identity.deleteAccessRule('d', 'anonymous');
    expect(await identity.accessRules('d')).toHaveLength(1);
    await expect(identity.deleteAccessRule('d', 'anonymous')).rejects.toThrow(IdentityNotFoundError);
  });
});
