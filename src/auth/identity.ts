/**
 * Identity operations over an IdentityStore, shared by the authentication middleware, the OAuth2
 * server, the admin API, the CLIs and the bootstrap file:
 *
 * - resolving a credential (API key, user of an OAuth2 grant) to a Principal, with a short cache so an
 *   authenticated request does not cost an OpenSearch round trip each time (IDENTITY_CACHE_TTL_MS: a
 *   revoked key or a changed group stops working on other replicas after at most that long; on the
 *   replica that made the change, at once);
 * - managing users, groups, API keys, OAuth2 clients and access rules, each validated by the shared
 *   schemas (src/auth/schemas.ts). Secrets are returned once, at creation, and stored hashed.
 */
import { DEFAULT_LIMITS, parseQuery } from '../query';
import type { UserPrincipal } from './principal';
import {
  parseSubject,
  type AccessRule,
  type ApiKeyRecord,
  type Attributes,
  type GroupRecord,
  type IdentityStore,
  type OAuthClientRecord,
  type UserRecord,
} from './identity-store';
import {
  accessRuleInputSchema,
  apiKeyInputSchema,
  clientInputSchema,
  describeIssues,
  givenApiKeySchema,
  groupInputSchema,
  userInputSchema,
  userPatchSchema,
  type AccessRuleInput,
  type ClientInput,
  type GroupInput,
  type UserInput,
} from './schemas';
import { hashPassword, matchesSha256, randomHex, randomToken, sha256, verifyPassword } from './secrets';
import type { z } from 'zod';
import { ttlCache } from '../ttl-cache';
import { GatewayError } from '../errors';

/** A management request that does not validate (the admin API answers 400, the CLI exits 2). */
export class IdentityInputError extends GatewayError {
  constructor(message: string) {
    super('bad_parameter', message);
    this.name = 'IdentityInputError';
  }
}

/** A management request naming something that does not exist (admin API 404, the CLI exits 1). */
export class IdentityNotFoundError extends GatewayError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'IdentityNotFoundError';
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new IdentityInputError(`Invalid ${what}: ${describeIssues(r.error)}`);
  return r.data;
}

export interface IdentityOptions {
  cacheTtlMs?: number;
  clock?: () => number;
}

/** What `createApiKey` returns: the key itself (shown once) and what is stored. */
export interface CreatedApiKey {
  key: string;
  record: ApiKeyRecord;
}

export interface RegisteredClient {
  client: OAuthClientRecord;
  /** The secret, shown once (confidential clients). */
  clientSecret?: string;
}

export type Identity = ReturnType<typeof identityService>;

export function identityService(store: IdentityStore, options: IdentityOptions = {}) {
  const clock = options.clock ?? Date.now;
  const ttl = options.cacheTtlMs ?? 5000;
  const users = ttlCache<{ user: UserRecord; groups: (GroupRecord | undefined)[] } | undefined>(ttl, clock);
  const keys = ttlCache<ApiKeyRecord | undefined>(ttl, clock);
  const rules = ttlCache<AccessRule[]>(ttl, clock);
  const now = () => new Date(clock()).toISOString();
  const invalidate = () => {
    users.clear();
    keys.clear();
    rules.clear();
  };

  const loadUser = (username: string) =>
    users.get(username, async () => {
      const user = await store.getUser(username);
      if (!user) return undefined;
      const groups = await Promise.all(user.groups.map((g) => store.getGroup(g)));
      return { user, groups };
    });

  /** Group attributes (in the user's group order), then the user's own, which win. */
  const mergeAttributes = (user: UserRecord, groups: (GroupRecord | undefined)[]): Attributes =>
    Object.assign({}, ...groups.map((g) => g?.attributes ?? {}), user.attributes) as Attributes;

  const principalFor = async (username: string, via: UserPrincipal['via'], credentialId: string): Promise<UserPrincipal | undefined> => {
    const found = await loadUser(username);
    if (!found) return undefined;
    return {
      kind: 'user',
      userId: found.user.username,
      groups: [...found.user.groups],
      attributes: mergeAttributes(found.user, found.groups),
      via,
      credentialId,
      admin: found.user.admin,
    };
  };

  const requireUser = async (username: string): Promise<UserRecord> => {
    const u = await store.getUser(username);
    if (!u) throw new IdentityNotFoundError(`Unknown user: ${username}`);
    return u;
  };

  return {
    invalidate,

    /** The principal of an API key, or undefined when the key is unknown (or its user is gone). */
    async principalForApiKey(key: string): Promise<UserPrincipal | undefined> {
      if (key.length > 512) return undefined;
      const hash = sha256(key);
      const record = await keys.get(hash, () => store.getApiKeyByHash(hash));
      // The lookup is by hash; comparing again in constant time costs nothing and keeps the rule simple.
      if (!record || !matchesSha256(key, record.keyHash)) return undefined;
      return principalFor(record.username, 'apikey', record.keyId);
    },

    /** The principal of an OAuth2 grant's user (groups and attributes as they are now). */
    principalForGrant: (username: string, grantId: string) => principalFor(username, 'bearer', grantId),

    /** Checks a login; undefined on a wrong password or unknown user (same time either way). */
    async checkPassword(username: string, password: string): Promise<UserRecord | undefined> {
      const user = username.length <= 100 ? await store.getUser(username) : undefined;
      const ok = await verifyPassword(password.slice(0, 1024), user?.passwordHash);
      return ok && user ? user : undefined;
    },

    /** The access rules of a dataset (cached). */
    accessRules: (dataset: string) => rules.get(dataset, () => store.getAccessRules(dataset)),

    /** Every access rule (cached as one entry; the catalog applies them to a page of datasets). */
    allAccessRules: () => rules.get('\u0000all', () => store.listAccessRules()),

    // ---- users and groups -------------------------------------------------------------------------

    async putUser(input: UserInput & { passwordHash?: string }): Promise<UserRecord> {
      const u = parse(userInputSchema, input, 'user');
      const existing = await store.getUser(u.username);
      const passwordHash = u.password !== undefined ? await hashPassword(u.password) : (input.passwordHash ?? existing?.passwordHash);
      const record: UserRecord = {
        username: u.username,
        groups: [...new Set(u.groups)],
        attributes: u.attributes,
        admin: u.admin,
        createdAt: existing?.createdAt ?? now(),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
      };
      await store.putUser(record);
      invalidate();
      return record;
    },

    async patchUser(username: string, patch: unknown): Promise<UserRecord> {
      const p = parse(userPatchSchema, patch, 'user update');
      const u = await requireUser(username);
      const record: UserRecord = {
        ...u,
        ...(p.groups !== undefined ? { groups: [...new Set(p.groups)] } : {}),
        ...(p.attributes !== undefined ? { attributes: p.attributes } : {}),
        ...(p.admin !== undefined ? { admin: p.admin } : {}),
        ...(p.password !== undefined ? { passwordHash: await hashPassword(p.password) } : {}),
      };
      await store.putUser(record);
      invalidate();
      return record;
    },

    getUser: (username: string) => store.getUser(username),
    listUsers: () => store.listUsers(),

    async deleteUser(username: string): Promise<void> {
      if (!(await store.deleteUser(username))) throw new IdentityNotFoundError(`Unknown user: ${username}`);
      invalidate();
    },

    async putGroup(input: GroupInput): Promise<GroupRecord> {
      const g = parse(groupInputSchema, input, 'group');
      const existing = await store.getGroup(g.name);
      const record: GroupRecord = { name: g.name, attributes: g.attributes, createdAt: existing?.createdAt ?? now() };
      await store.putGroup(record);
      invalidate();
      return record;
    },
    getGroup: (name: string) => store.getGroup(name),
    listGroups: () => store.listGroups(),
    async deleteGroup(name: string): Promise<void> {
      if (!(await store.deleteGroup(name))) throw new IdentityNotFoundError(`Unknown group: ${name}`);
      invalidate();
    },

    // ---- API keys ---------------------------------------------------------------------------------

    /**
     * Makes a key for a user (40 hex characters, 160 bits). `givenKey` is for the bootstrap file
     * only: an operator-chosen key, stored hashed like the others.
     */
    async createApiKey(input: { username: string; label?: string }, givenKey?: string): Promise<CreatedApiKey> {
      const k = parse(apiKeyInputSchema, input, 'API key');
      if (givenKey !== undefined) parse(givenApiKeySchema, givenKey, 'API key');
      await requireUser(k.username);
      const key = givenKey ?? randomHex(20);
      const record: ApiKeyRecord = {
        keyId: randomHex(8),
        username: k.username,
        keyHash: sha256(key),
        createdAt: now(),
        ...(k.label !== undefined ? { label: k.label } : {}),
      };
      await store.putApiKey(record);
      invalidate();
      return { key, record };
    },

    /** The stored record of a clear key (bootstrap: idempotence). */
    findApiKey: (key: string) => store.getApiKeyByHash(sha256(key)),

    listApiKeys: (username?: string) => store.listApiKeys(username),

    async revokeApiKey(keyId: string): Promise<ApiKeyRecord> {
      const removed = await store.deleteApiKey(keyId);
      if (!removed) throw new IdentityNotFoundError(`Unknown API key id: ${keyId}`);
      invalidate();
      return removed;
    },

    // ---- OAuth2 clients ---------------------------------------------------------------------------

    /**
     * Registers a client; a confidential one gets a secret (shown once). The bootstrap file may give
     * the id and secret (`given`), so that a docker-compose setup can configure its apps up front.
     */
    async registerClient(input: ClientInput, given: { clientId?: string; clientSecret?: string } = {}): Promise<RegisteredClient> {
      const c = parse(clientInputSchema, input, 'OAuth2 client');
      if (given.clientId !== undefined && !/^[A-Za-z0-9._~-]{8,128}$/.test(given.clientId)) {
        throw new IdentityInputError('Invalid OAuth2 client: client_id has 8 to 128 characters [A-Za-z0-9._~-]');
      }
      if (given.clientSecret !== undefined) parse(givenApiKeySchema, given.clientSecret, 'client secret');
      const clientSecret = c.type === 'confidential' ? (given.clientSecret ?? randomToken(40)) : undefined;
      const client: OAuthClientRecord = {
        clientId: given.clientId ?? randomToken(24),
        name: c.name,
        type: c.type,
        redirectUris: [...new Set(c.redirect_uris)],
        createdAt: now(),
        ...(clientSecret !== undefined ? { secretHash: sha256(clientSecret) } : {}),
      };
      await store.putClient(client);
      return { client, ...(clientSecret !== undefined ? { clientSecret } : {}) };
    },

    getClient: (clientId: string) => (clientId.length <= 128 ? store.getClient(clientId) : Promise.resolve(undefined)),
    listClients: () => store.listClients(),
    async deleteClient(clientId: string): Promise<void> {
      if (!(await store.deleteClient(clientId))) throw new IdentityNotFoundError(`Unknown OAuth2 client: ${clientId}`);
    },

    // ---- access rules -----------------------------------------------------------------------------

    async putAccessRule(input: AccessRuleInput): Promise<AccessRule> {
      const r = parse(accessRuleInputSchema, input, 'access rule');
      if (r.record_filter !== undefined) {
        // Syntax now; fields are checked against the dataset at each request (they may change with a reload).
        try {
          parseQuery(r.record_filter, { parameter: 'record_filter' }, DEFAULT_LIMITS.maxDepth);
        } catch (e) {
          throw new IdentityInputError(`Invalid access rule: ${(e as Error).message}`);
        }
      }
      const rule: AccessRule = {
        dataset: r.dataset,
        subject: parseSubject(r.subject)!,
        hiddenFields: [...new Set(r.hidden_fields)],
        updatedAt: now(),
        ...(r.record_filter !== undefined ? { recordFilter: r.record_filter } : {}),
      };
      await store.putAccessRule(rule);
      invalidate();
      return rule;
    },
    listAccessRules: (dataset?: string) => store.listAccessRules(dataset),
    async deleteAccessRule(dataset: string, subject: string): Promise<void> {
      const s = parseSubject(subject);
      if (!s || !(await store.deleteAccessRule(dataset, s))) {
        throw new IdentityNotFoundError(`No access rule for ${subject.slice(0, 110)} on dataset ${dataset.slice(0, 100)}`);
      }
      invalidate();
    },
  };
}
