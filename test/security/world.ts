/**
 * The world the attack suite runs against: the real app over a real OpenSearch node (the integration
 * node, OPENSEARCH_URL), under an index prefix of its own, with
 *
 *   open   public; default (anonymous) rule: hides `email`, filters out city Lyon;
 *          group `hr`: a rule that grants everything; user `filtered`: only Paris, `salary` hidden
 *   vault  restricted to group `hr`; an attachment and a file field
 *
 * and callers of every kind (CREDENTIALS): none, an unknown API key, a key without rights (bob), a
 * key with rights (hana, group hr), a bearer token with rights (hana), a revoked bearer token, an
 * administrator key. Every expectation of the suite is computed from ROWS.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames, type IndexNames } from '../../src/datasets/index-names';
import { datasetRegistry } from '../../src/datasets/registry';
import { parseDescriptor, type DatasetDescriptorInput } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';
import { createAuth } from '../../src/auth/wiring';
import { randomToken, sha256 } from '../../src/auth/secrets';
import { directoryFileStore } from '../../src/files/file-store';
import { attachFile } from '../../src/files/attachments';
import { fileColumnPreparer } from '../../src/files/file-columns';
import { openSearchPushLog } from '../../src/push/push-log';
import { memoryPushKeyStore, pushKeys } from '../../src/push/push-keys';
import { pushService } from '../../src/push/push-service';
import { createProtection } from '../../src/protection';
import type { AuthServices } from '../../src/auth/services';
import { png } from '../fixtures/files/images';

export const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';

export interface Row {
  name: string;
  city: string;
  salary: number;
  email: string;
  notes: string;
  geo: string;
  photo?: string;
}
const CITIES = ['Paris', 'Lyon', 'Nice', 'Brest'];
export const ROWS: Row[] = Array.from({ length: 40 }, (_, i) => ({
  name: `person ${i} ${i % 5 === 0 ? 'manager' : 'clerk'}`,
  city: CITIES[i % 4]!,
  salary: 1000 + ((i * 397) % 9000),
  email: `secret${i}@example.org`,
  notes: i % 3 === 0 ? '=HYPERLINK("http://evil") <b>&amp;</b> ]]>' : 'plain',
  geo: `${45 + (i % 10) * 0.3},${2 + (i % 6) * 0.4}`,
  ...(i === 0 ? { photo: 'p.png' } : {}),
}));

const FIELDS: DatasetDescriptorInput['fields'] = [
  { name: 'name', label: 'Name', type: 'text' },
  { name: 'city', label: 'City', type: 'text', annotations: [{ name: 'facet' }] },
  { name: 'salary', label: 'Salary', type: 'int' },
  { name: 'email', label: 'Email', type: 'text' },
  { name: 'notes', label: 'Notes', type: 'text' },
  { name: 'geo', label: 'Location', type: 'geo_point_2d' },
  { name: 'photo', label: 'Photo', type: 'file' },
];

/** What each caller may see of `open`. */
export const OPEN_VIEW = {
  default: { rows: ROWS.filter((r) => r.city !== 'Lyon'), hidden: ['email'] },
  filtered: { rows: ROWS.filter((r) => r.city === 'Paris'), hidden: ['salary'] },
  hr: { rows: ROWS, hidden: [] as string[] },
};

export type CredentialKind = 'none' | 'unknown key' | 'key without rights' | 'key with rights' | 'token with rights' | 'revoked token' | 'admin key';
export const CREDENTIALS: CredentialKind[] = ['none', 'unknown key', 'key without rights', 'key with rights', 'token with rights', 'revoked token', 'admin key'];

export interface World {
  app: Express;
  client: Client;
  names: IndexNames;
  auth: AuthServices;
  keys: Record<'bob' | 'hana' | 'filtered' | 'root', string>;
  tokens: { hana: string; revoked: string };
  pushKey: string;
  attachmentId: string;
  photoId: string;
  /** Headers for a credential kind. */
  headers(kind: CredentialKind): Record<string, string>;
  close(): Promise<void>;
}

const rowsOf = (rows: Row[]) => (async function* () { let line = 0; for (const row of rows) yield { line: ++line, row: { ...row } as Record<string, unknown> }; })();

async function token(auth: AuthServices, username: string): Promise<string> {
  const access = randomToken(30);
  await auth.tokens.issue({
    grant: { grantId: randomToken(24), clientId: 'suite', username, scope: 'all' },
    accessHash: sha256(access),
    accessTtlSeconds: 3600,
    refreshHash: sha256(randomToken(30)),
    refreshTtlSeconds: 3600,
  });
  return access;
}

export async function buildWorld(): Promise<World> {
  const names = indexNames(`secsuite${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL, opensearchRequestTimeoutMs: 60_000 });
  const dir = await mkdtemp(join(tmpdir(), 'secsuite-'));
  const files = directoryFileStore(join(dir, 'files'));
  await mkdir(join(dir, 'photos'));
  await writeFile(join(dir, 'photos', 'p.png'), await png(64, 48));
  await writeFile(join(dir, 'secret.txt'), 'the vault attachment');
  const attachment = await attachFile(files, 'vault', `${join(dir, 'secret.txt')}:Secret`);
  for (const [id, visibility] of [
    ['open', 'public'],
    ['vault', { restricted: { users: [], groups: ['hr'] } }],
  ] as const) {
    await loadDataset({
      client,
      names,
      datasetId: id,
      descriptor: parseDescriptor({ datasetid: id, metas: { title: id }, fields: FIELDS, visibility }),
      source: { rows: rowsOf(ROWS) },
      prepareRow: (d) => fileColumnPreparer(d, join(dir, 'photos'), files),
      ...(id === 'vault' ? { attachments: [attachment] } : {}),
      log: () => {},
    });
  }
  const auth = createAuth(
    { publicUrl: 'http://gateway.test', indexPrefix: names.prefix, identityCacheTtlMs: 0, oauth2CodeTtlSeconds: 60, oauth2AccessTokenTtlSeconds: 3600, oauth2RefreshTokenTtlSeconds: 86400, oauth2SessionTtlSeconds: 600 },
    { client, names, redis: undefined },
  );
  const id = auth.identity;
  await id.putGroup({ name: 'hr' });
  await id.putUser({ username: 'bob' });
  await id.putUser({ username: 'hana', groups: ['hr'] });
  await id.putUser({ username: 'filtered' });
  await id.putUser({ username: 'root', admin: true });
  await id.putAccessRule({ dataset: 'open', subject: 'anonymous', record_filter: 'NOT city:Lyon', hidden_fields: ['email'] });
  await id.putAccessRule({ dataset: 'open', subject: 'group:hr', hidden_fields: [] });
  await id.putAccessRule({ dataset: 'open', subject: 'user:filtered', record_filter: 'city:Paris', hidden_fields: ['salary'] });
  await id.putAccessRule({ dataset: 'vault', subject: 'anonymous', record_filter: 'NOT city:Lyon', hidden_fields: ['email'] });
  const keys = {
    bob: (await id.createApiKey({ username: 'bob' })).key,
    hana: (await id.createApiKey({ username: 'hana' })).key,
    filtered: (await id.createApiKey({ username: 'filtered' })).key,
    root: (await id.createApiKey({ username: 'root' })).key,
  };
  const tokens = { hana: await token(auth, 'hana'), revoked: await token(auth, 'hana') };
  await auth.tokens.revokeAccessToken(sha256(tokens.revoked));
  const push = pushKeys(memoryPushKeyStore());
  const pushKey = (await push.create({ dataset: 'open', resource: 'live' })).key;
  const backend = openSearchBackend(client, names);
  const photo = await client.search({ index: names.recordsAlias('open'), body: { size: 1, query: { exists: { field: 'fields.photo.id' } } } });
  const photoId = ((photo.body.hits.hits as { _source: { fields: { photo: { id: string } } } }[])[0]!)._source.fields.photo.id;
  const app = createApp({
    // The suite sends hundreds of bad credentials from one address: its failure limit is high.
    config: { trustProxy: false, maxRequestBodyBytes: 1 << 20, publicUrl: 'http://gateway.test' },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    auth,
    files,
    push: { service: pushService({ backend, files, log: openSearchPushLog(client, names) }), keys: push },
    protection: createProtection({ authFailureLimit: 100_000 }),
  });
  const headers = (kind: CredentialKind): Record<string, string> => {
    switch (kind) {
      case 'none':
        return {};
      case 'unknown key':
        return { Authorization: `Apikey ${'0'.repeat(40)}` };
      case 'key without rights':
        return { Authorization: `Apikey ${keys.bob}` };
      case 'key with rights':
        return { Authorization: `Apikey ${keys.hana}` };
      case 'token with rights':
        return { Authorization: `Bearer ${tokens.hana}` };
      case 'revoked token':
        return { Authorization: `Bearer ${tokens.revoked}` };
      case 'admin key':
        return { Authorization: `Apikey ${keys.root}` };
    }
  };
  return {
    app,
    client,
    names,
    auth,
    keys,
    tokens,
    pushKey,
    attachmentId: attachment.id,
    photoId,
    headers,
    async close() {
      await client.indices.delete({ index: `${names.prefix}-*`, expand_wildcards: 'all' } as never).catch(() => undefined);
      await client.indices.delete({ index: names.securityIndex }).catch(() => undefined);
      await client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
