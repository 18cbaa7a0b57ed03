/**
 * The IdentityStore in OpenSearch: one document per user, group, API key, OAuth2 client and access
 * rule in the security index (`names.securityIndex`, e.g. `ods-security`), told apart by `kind`.
 *
 *   _id                                 kind     hot path
 *   user:<username>                     user     GET (every authenticated request, cached)
 *   group:<name>                        group    GET (cached)
 *   apikey:<sha256 of the key>          apikey   GET by the hash of the presented key (cached)
 *   client:<client_id>                  client   GET (token endpoint)
 *   rule:<dataset>:<subject>            rule     search by dataset (cached)
 *
 * The index is created on first write (1 shard, `dynamic: strict`, hidden, 0–1 replicas); reads of a
 * missing index answer "nothing". Writes force a refresh (`refresh: true`; they are rare admin
 * operations on a small index) so listings see them at once.
 */
import type { Client } from '@opensearch-project/opensearch';
import { toGatewayError } from '../opensearch/client';
import {
  subjectKey,
  type AccessRule,
  type AccessSubject,
  type ApiKeyRecord,
  type Attributes,
  type ClientType,
  type GroupRecord,
  type IdentityStore,
  type OAuthClientRecord,
  type UserRecord,
} from './identity-store';

const keyword = { type: 'keyword' } as const;
const secret = { type: 'keyword', index: false, doc_values: false } as const;

/** The body of `PUT <prefix>-security`. */
export const SECURITY_INDEX_BODY = {
  settings: { number_of_shards: 1, auto_expand_replicas: '0-1', hidden: true },
  mappings: {
    dynamic: 'strict',
    properties: {
      kind: keyword,
      name: keyword,
      username: keyword,
      groups: keyword,
      attributes: { type: 'object', enabled: false },
      admin: { type: 'boolean' },
      password_hash: secret,
      key_id: keyword,
      key_hash: keyword,
      label: keyword,
      client_id: keyword,
      client_type: keyword,
      redirect_uris: keyword,
      secret_hash: secret,
      dataset: keyword,
      subject: keyword,
      record_filter: { type: 'keyword', index: false, doc_values: false },
      hidden_fields: keyword,
      created_at: { type: 'date' },
      updated_at: { type: 'date' },
    },
  },
} as const;

interface SecurityDoc {
  kind: 'user' | 'group' | 'apikey' | 'client' | 'rule';
  name?: string;
  username?: string;
  groups?: string[];
  attributes?: Attributes;
  admin?: boolean;
  password_hash?: string;
  key_id?: string;
  key_hash?: string;
  label?: string;
  client_id?: string;
  client_type?: ClientType;
  redirect_uris?: string[];
  secret_hash?: string;
  dataset?: string;
  subject?: string;
  record_filter?: string;
  hidden_fields?: string[];
  created_at?: string;
  updated_at?: string;
}

const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const toUser = (d: SecurityDoc): UserRecord =>
  strip({
    username: d.name!,
    passwordHash: d.password_hash,
    groups: d.groups ?? [],
    attributes: d.attributes ?? {},
    admin: d.admin ?? false,
    createdAt: d.created_at ?? '',
  });
const fromUser = (u: UserRecord): SecurityDoc =>
  strip({
    kind: 'user',
    name: u.username,
    password_hash: u.passwordHash,
    groups: u.groups,
    attributes: u.attributes,
    admin: u.admin,
    created_at: u.createdAt,
  });
const toGroup = (d: SecurityDoc): GroupRecord => ({ name: d.name!, attributes: d.attributes ?? {}, createdAt: d.created_at ?? '' });
const fromGroup = (g: GroupRecord): SecurityDoc => ({ kind: 'group', name: g.name, attributes: g.attributes, created_at: g.createdAt });
const toKey = (d: SecurityDoc): ApiKeyRecord =>
  strip({ keyId: d.key_id!, username: d.username!, keyHash: d.key_hash!, label: d.label, createdAt: d.created_at ?? '' });
const fromKey = (k: ApiKeyRecord): SecurityDoc =>
  strip({ kind: 'apikey', key_id: k.keyId, username: k.username, key_hash: k.keyHash, label: k.label, created_at: k.createdAt });
const toClient = (d: SecurityDoc): OAuthClientRecord =>
  strip({
    clientId: d.client_id!,
    name: d.name!,
    type: d.client_type!,
    redirectUris: d.redirect_uris ?? [],
    secretHash: d.secret_hash,
    createdAt: d.created_at ?? '',
  });
const fromClient = (c: OAuthClientRecord): SecurityDoc =>
  strip({
    kind: 'client',
    client_id: c.clientId,
    name: c.name,
    client_type: c.type,
    redirect_uris: c.redirectUris,
    secret_hash: c.secretHash,
    created_at: c.createdAt,
  });
function parseSubjectKey(raw: string): AccessSubject {
  if (raw === 'anonymous') return { type: 'anonymous' };
  const i = raw.indexOf(':');
  return { type: raw.slice(0, i) as 'user' | 'group', name: raw.slice(i + 1) };
}
const toRule = (d: SecurityDoc): AccessRule =>
  strip({
    dataset: d.dataset!,
    subject: parseSubjectKey(d.subject!),
    recordFilter: d.record_filter,
    hiddenFields: d.hidden_fields ?? [],
    updatedAt: d.updated_at ?? '',
  });
const fromRule = (r: AccessRule): SecurityDoc =>
  strip({
    kind: 'rule',
    dataset: r.dataset,
    subject: subjectKey(r.subject),
    record_filter: r.recordFilter,
    hidden_fields: r.hiddenFields,
    updated_at: r.updatedAt,
  });

const ruleDocId = (dataset: string, s: AccessSubject) => `rule:${dataset}:${subjectKey(s)}`;

function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode ?? (e as { meta?: { statusCode?: number } }).meta?.statusCode;
}
function errorType(e: unknown): string | undefined {
  return (e as { body?: { error?: { type?: string } } }).body?.error?.type;
}

/** Listings are small (users, keys, clients, rules of a domain); past this, use the admin tools of OpenSearch. */
const LIST_LIMIT = 10000;

export function openSearchIdentityStore(client: Client, index: string): IdentityStore {
  let ensured: Promise<void> | undefined;
  const ensureIndex = (): Promise<void> => {
    ensured ??= (async () => {
      try {
        await client.indices.create({ index, body: SECURITY_INDEX_BODY as unknown as Record<string, unknown> });
      } catch (e) {
        if (errorType(e) !== 'resource_already_exists_exception') throw e;
      }
    })().catch((e: unknown) => {
      ensured = undefined; // try again on the next write
      throw toGatewayError(e, 'security index creation');
    });
    return ensured;
  };

  const get = async (id: string): Promise<SecurityDoc | undefined> => {
    try {
      const res = await client.get({ index, id });
      return res.body._source as SecurityDoc | undefined;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw toGatewayError(e, 'identity lookup');
    }
  };
  const put = async (id: string, doc: SecurityDoc): Promise<void> => {
    await ensureIndex();
    try {
      await client.index({ index, id, body: doc as unknown as Record<string, unknown>, refresh: true });
    } catch (e) {
      throw toGatewayError(e, 'identity write');
    }
  };
  const del = async (id: string): Promise<boolean> => {
    try {
      await client.delete({ index, id, refresh: true });
      return true;
    } catch (e) {
      if (statusOf(e) === 404) return false;
      throw toGatewayError(e, 'identity delete');
    }
  };
  const search = async (filter: Record<string, unknown>[], sort: string[]): Promise<{ id: string; doc: SecurityDoc }[]> => {
    try {
      const res = await client.search({
        index,
        body: { size: LIST_LIMIT, query: { bool: { filter } }, sort: sort.map((s) => ({ [s]: { order: 'asc', unmapped_type: 'keyword' } })) },
      });
      const hits = (res.body as { hits: { hits: { _id: string; _source: SecurityDoc }[] } }).hits.hits;
      return hits.map((h) => ({ id: h._id, doc: h._source }));
    } catch (e) {
      if (statusOf(e) === 404) return [];
      throw toGatewayError(e, 'identity listing');
    }
  };
  const kind = (k: SecurityDoc['kind']) => ({ term: { kind: k } });
  const listApiKeys = async (username?: string): Promise<ApiKeyRecord[]> => {
    const filter = [kind('apikey'), ...(username === undefined ? [] : [{ term: { username } }])];
    return (await search(filter, ['created_at', 'key_id'])).map((h) => toKey(h.doc));
  };

  return {
    async getUser(username) {
      const d = await get(`user:${username}`);
      return d ? toUser(d) : undefined;
    },
    async listUsers() {
      return (await search([kind('user')], ['name'])).map((h) => toUser(h.doc));
    },
    putUser: (u) => put(`user:${u.username}`, fromUser(u)),
    async deleteUser(username) {
      for (const k of await listApiKeys(username)) await del(`apikey:${k.keyHash}`);
      return del(`user:${username}`);
    },
    async getGroup(name) {
      const d = await get(`group:${name}`);
      return d ? toGroup(d) : undefined;
    },
    async listGroups() {
      return (await search([kind('group')], ['name'])).map((h) => toGroup(h.doc));
    },
    putGroup: (g) => put(`group:${g.name}`, fromGroup(g)),
    deleteGroup: (name) => del(`group:${name}`),
    async getApiKeyByHash(keyHash) {
      const d = await get(`apikey:${keyHash}`);
      return d ? toKey(d) : undefined;
    },
    listApiKeys,
    putApiKey: (k) => put(`apikey:${k.keyHash}`, fromKey(k)),
    async deleteApiKey(keyId) {
      const hit = (await search([kind('apikey'), { term: { key_id: keyId } }], []))[0];
      if (!hit) return undefined;
      await del(hit.id);
      return toKey(hit.doc);
    },
    async getClient(clientId) {
      const d = await get(`client:${clientId}`);
      return d ? toClient(d) : undefined;
    },
    async listClients() {
      return (await search([kind('client')], ['name', 'client_id'])).map((h) => toClient(h.doc));
    },
    putClient: (c) => put(`client:${c.clientId}`, fromClient(c)),
    deleteClient: (clientId) => del(`client:${clientId}`),
    async getAccessRules(dataset) {
      return (await search([kind('rule'), { term: { dataset } }], ['subject'])).map((h) => toRule(h.doc));
    },
    async listAccessRules(dataset) {
      const filter = [kind('rule'), ...(dataset === undefined ? [] : [{ term: { dataset } }])];
      return (await search(filter, ['dataset', 'subject'])).map((h) => toRule(h.doc));
    },
    putAccessRule: (r) => put(ruleDocId(r.dataset, r.subject), fromRule(r)),
    deleteAccessRule: (dataset, subject) => del(ruleDocId(dataset, subject)),
  };
}
