import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { applyBootstrap, BootstrapError, readBootstrapFile } from '../../../src/auth/bootstrap';
import { identityService } from '../../../src/auth/identity';
import { memoryIdentityStore } from '../../../src/auth/identity-store';

const EXAMPLE = join(__dirname, '../../../ops/bootstrap.example.json');

function tempFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
  const p = join(dir, 'b.json');
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

describe('bootstrap file', () => {
  it('applies the example idempotently: a second run changes nothing and keeps password hashes', async () => {
    const store = memoryIdentityStore();
    const identity = identityService(store, { cacheTtlMs: 0 });
    const file = await readBootstrapFile(EXAMPLE);
    const first = await applyBootstrap(identity, file);
    expect(first).toEqual({ groups: 2, users: 3, apiKeys: { created: 2, unchanged: 0 }, clients: { created: 2, updated: 0, unchanged: 0 }, accessRules: 2 });
    const snapshot = async () => ({
      users: await store.listUsers(),
      keys: (await store.listApiKeys()).map(({ keyHash, username, label }) => ({ keyHash, username, label })),
      clients: (await store.listClients()).map(({ createdAt: _c, ...c }) => c),
      rules: (await store.listAccessRules()).map(({ updatedAt: _u, ...r }) => r),
    });
    const before = await snapshot();
    const second = await applyBootstrap(identity, file);
    expect(second).toEqual({ groups: 2, users: 3, apiKeys: { created: 0, unchanged: 2 }, clients: { created: 0, updated: 0, unchanged: 2 }, accessRules: 2 });
    expect(await snapshot()).toEqual(before);
    // The keys work, and are stored hashed only.
    const admin = await identity.principalForApiKey('change-me-0123456789abcdef0123456789abcdef');
    expect(admin).toMatchObject({ userId: 'admin', admin: true });
    expect(JSON.stringify(before)).not.toContain('change-me-0123456789abcdef0123456789abcdef');
    expect(JSON.stringify(before)).not.toContain('change-me-client-secret');
    expect((await identity.checkPassword('alice', 'change-me-alice-password'))?.username).toBe('alice');
  });

  it('updates what changed in the file: a password, a client secret, a key moved to another user', async () => {
    const identity = identityService(memoryIdentityStore(), { cacheTtlMs: 0 });
    const base = {
      users: [{ username: 'u1', password: 'first-password' }, { username: 'u2' }],
      api_keys: [{ username: 'u1', key: 'k'.repeat(40) }],
      clients: [{ client_id: 'client-one', client_secret: 's'.repeat(40), name: 'One', type: 'confidential', redirect_uris: ['https://a.example/cb'] }],
    };
    await applyBootstrap(identity, await readBootstrapFile(tempFile(base)));
    const changed = {
      users: [{ username: 'u1', password: 'second-password' }, { username: 'u2' }],
      api_keys: [{ username: 'u2', key: 'k'.repeat(40) }],
      clients: [{ ...base.clients[0], client_secret: 't'.repeat(40) }],
    };
    const summary = await applyBootstrap(identity, await readBootstrapFile(tempFile(changed)));
    expect(summary.apiKeys).toEqual({ created: 1, unchanged: 0 });
    expect(summary.clients).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(await identity.checkPassword('u1', 'first-password')).toBeUndefined();
    expect(await identity.checkPassword('u1', 'second-password')).toBeDefined();
    expect((await identity.principalForApiKey('k'.repeat(40)))?.userId).toBe('u2');
    expect(await identity.listApiKeys()).toHaveLength(1);
  });

  it('refuses an invalid file, naming each problem and no secret', async () => {
    const bad = {
      users: [{ username: 'bad name', password: 'short' }],
      api_keys: [{ username: 'u', key: 'tooshort-secret' }],
      clients: [{ client_id: 'x', name: 'X', redirect_uris: ['nope'] }],
    };
    const err = (await readBootstrapFile(tempFile(bad)).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(BootstrapError);
    expect(err.message).toMatch(/users\.0\.username/);
    expect(err.message).toMatch(/users\.0\.password/);
    expect(err.message).toMatch(/api_keys\.0\.key/);
    expect(err.message).toMatch(/clients\.0\.client_id/);
    expect(err.message).toMatch(/clients\.0\.redirect_uris\.0/);
    expect(err.message).not.toContain('tooshort-secret');
    await expect(readBootstrapFile(tempFile('{not json'))).rejects.toThrow(BootstrapError);
    await expect(
      readBootstrapFile(tempFile({ clients: [{ client_id: 'client-one', name: 'X', type: 'confidential', redirect_uris: ['https://a.example/cb'] }] })),
    ).rejects.toThrow(/needs a client_secret/);
  });
});
