/**
 * The `users`, `keys` and `clients` CLIs against a real OpenSearch security index.
 */
import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { indexNames } from '../../src/datasets/index-names';
import { runUsersCli } from '../../src/cli/users';
import { runKeysCli } from '../../src/cli/keys';
import { runClientsCli } from '../../src/cli/clients';
import { identityService } from '../../src/auth/identity';
import { openSearchIdentityStore } from '../../src/auth/opensearch-identity-store';
import { verifyPassword } from '../../src/auth/secrets';
import type { IdentityCliIo } from '../../src/cli/identity-cli';

jest.setTimeout(60_000);

const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const prefix = `itcli${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const names = indexNames(prefix);
let client: Client;

beforeAll(() => {
  client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL });
});
afterAll(async () => {
  await client.indices.delete({ index: names.securityIndex }).catch(() => undefined);
  await client.close();
});

async function cli(run: (a: string[], io: IdentityCliIo) => Promise<number>, args: string[], stdin?: string) {
  let out = '';
  let err = '';
  const code = await run(args, {
    env: { OPENSEARCH_URL, INDEX_PREFIX: prefix },
    out: (s) => (out += s),
    err: (s) => (err += s),
    readStdin: async () => stdin ?? '',
  });
  return { code, out, err };
}

const identity = () => identityService(openSearchIdentityStore(client, names.securityIndex), { cacheTtlMs: 0 });

describe('identity CLIs', () => {
  it('When users and groups are managed, then the security index holds them (passwords from stdin, hashed)', async () => {
    expect((await cli(runUsersCli, ['add-group', 'north', '--attr', 'region=north'])).code).toBe(0);
    const add = await cli(runUsersCli, ['add', 'alice', '--password-stdin', '--group', 'north', '--attr', 'city=Paris', '--attr', 'city=Lyon'], 'alice-password\n');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/^saved alice {2}groups: north/);
    const u = await identity().getUser('alice');
    expect(u).toMatchObject({ groups: ['north'], attributes: { city: ['Paris', 'Lyon'] }, admin: false });
    expect(await verifyPassword('alice-password', u!.passwordHash)).toBe(true);
    expect((await cli(runUsersCli, ['set', 'alice', '--admin'])).code).toBe(0);
    const list = await cli(runUsersCli, ['--json', 'list']);
    expect(JSON.parse(list.out).users).toEqual([expect.objectContaining({ username: 'alice', admin: true, has_password: true })]);
    expect(list.out).not.toMatch(/scrypt/);
    const bad = await cli(runUsersCli, ['add', 'bob', '--password-stdin'], 'short\n');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/at least 8/);
    expect((await cli(runUsersCli, ['show', 'nobody'])).code).toBe(1);
  });

  it('When a key is created, listed and revoked, then the key is printed once and works until revoked', async () => {
    const created = await cli(runKeysCli, ['--json', 'create', 'alice', '--label', 'report']);
    expect(created.code).toBe(0);
    const { key, key_id } = JSON.parse(created.out) as { key: string; key_id: string };
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect((await identity().principalForApiKey(key))?.userId).toBe('alice');
    const list = await cli(runKeysCli, ['list', '--user', 'alice']);
    expect(list.out).toContain(key_id);
    expect(list.out).not.toContain(key);
    expect((await cli(runKeysCli, ['revoke', key_id])).code).toBe(0);
    expect(await identity().principalForApiKey(key)).toBeUndefined();
    expect((await cli(runKeysCli, ['revoke', key_id])).code).toBe(1);
    expect((await cli(runKeysCli, ['create', 'nobody'])).code).toBe(1);
  });

  it('When clients are registered, then the secret is printed once and the registration is stored hashed', async () => {
    const reg = await cli(runClientsCli, ['--json', 'register', '--name', 'Dashboard', '--redirect-uri', 'https://dash.example/cb']);
    expect(reg.code).toBe(0);
    const c = JSON.parse(reg.out) as { client_id: string; client_secret: string; type: string };
    expect(c.type).toBe('confidential');
    expect(c.client_secret).toMatch(/^[A-Za-z0-9]{40}$/);
    const pub = await cli(runClientsCli, ['register', '--name', 'App', '--type', 'public', '--redirect-uri', 'com.example:/cb']);
    expect(pub.out).toMatch(/public client: no secret/);
    const list = await cli(runClientsCli, ['list']);
    expect(list.out).toContain(c.client_id);
    expect(list.out).not.toContain(c.client_secret);
    expect((await cli(runClientsCli, ['register', '--name', 'X', '--redirect-uri', 'https://x.example/#f'])).code).toBe(2);
    expect((await cli(runClientsCli, ['delete', c.client_id])).code).toBe(0);
    expect(await identity().getClient(c.client_id)).toBeUndefined();
  });

  it('When access rules are set with the users CLI, then they are stored per dataset and subject', async () => {
    expect((await cli(runUsersCli, ['set-rule', 'movies', 'group:north', '--filter', '#attr(country, region)', '--hide', 'budget,gross'])).code).toBe(0);
    const rules = await cli(runUsersCli, ['rules', '--dataset', 'movies']);
    expect(rules.out.trim()).toBe('movies  group:north  filter: #attr(country, region)  hidden: budget,gross');
    expect((await cli(runUsersCli, ['set-rule', 'movies', 'someone'])).code).toBe(2);
    expect((await cli(runUsersCli, ['delete-rule', 'movies', 'group:north'])).code).toBe(0);
  });

  it('When hashing a password for the bootstrap file, then a scrypt hash comes out (no OpenSearch needed)', async () => {
    const r = await cli(runUsersCli, ['hash-password'], 'a-long-password\n');
    expect(r.code).toBe(0);
    expect(await verifyPassword('a-long-password', r.out.trim())).toBe(true);
  });
});
