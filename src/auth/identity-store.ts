/**
 * Durable identity data: users, groups, API keys (hashed), OAuth2 clients (secrets hashed) and the
 * per-dataset access rules (record filters, hidden fields). Production keeps them in the security
 * index of OpenSearch (opensearch-identity-store.ts); HTTP tests use the in-memory store below.
 *
 * Nothing here stores a secret in clear: `keyHash`, `secretHash` are sha256 of high-entropy random
 * strings, `passwordHash` is scrypt (src/auth/secrets.ts).
 */

export type Attributes = Record<string, string | string[]>;

export interface UserRecord {
  username: string;
  /** scrypt hash; absent for users that only use API keys. */
  passwordHash?: string;
  groups: string[];
  attributes: Attributes;
  admin: boolean;
  createdAt: string;
}

export interface GroupRecord {
  name: string;
  attributes: Attributes;
  createdAt: string;
}

export interface ApiKeyRecord {
  /** Public id of the key (listing, revocation); never the key. */
  keyId: string;
  username: string;
  /** sha256 of the key. */
  keyHash: string;
  label?: string;
  createdAt: string;
}

export const CLIENT_TYPES = ['confidential', 'public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

export interface OAuthClientRecord {
  clientId: string;
  name: string;
  type: ClientType;
  /** Registered redirect URIs, compared by exact string equality (RFC 6749 §3.1.2.3, RFC 9700). */
  redirectUris: string[];
  /** sha256 of the secret (confidential clients). */
  secretHash?: string;
  createdAt: string;
}

/**
 * Whom an access rule applies to. `anonymous` is the dataset's default rule: it applies to callers
 * without credentials and to every user without a rule of their own (src/auth/access.ts).
 */
export type AccessSubject = { type: 'user'; name: string } | { type: 'group'; name: string } | { type: 'anonymous' };

/**
 * A restriction on one dataset for one subject. The rules naming a caller (their user, each of their
 * groups) all apply, record filters ANDed, hidden fields united; they replace the default
 * (`anonymous`) rule, which applies to every caller named by none.
 */
export interface AccessRule {
  dataset: string;
  subject: AccessSubject;
  /** A `q` expression (may use `#attr(field, name)`); records outside it do not exist for the subject. */
  recordFilter?: string;
  /** Fields that behave as if the dataset did not have them. */
  hiddenFields: string[];
  updatedAt: string;
}

export interface IdentityStore {
  getUser(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  putUser(user: UserRecord): Promise<void>;
  /** Deletes the user and its API keys. */
  deleteUser(username: string): Promise<boolean>;

  getGroup(name: string): Promise<GroupRecord | undefined>;
  listGroups(): Promise<GroupRecord[]>;
  putGroup(group: GroupRecord): Promise<void>;
  deleteGroup(name: string): Promise<boolean>;

  getApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(username?: string): Promise<ApiKeyRecord[]>;
  putApiKey(key: ApiKeyRecord): Promise<void>;
  deleteApiKey(keyId: string): Promise<ApiKeyRecord | undefined>;

  getClient(clientId: string): Promise<OAuthClientRecord | undefined>;
  listClients(): Promise<OAuthClientRecord[]>;
  putClient(client: OAuthClientRecord): Promise<void>;
  deleteClient(clientId: string): Promise<boolean>;

  /** The rules of one dataset (every subject). */
  getAccessRules(dataset: string): Promise<AccessRule[]>;
  /** Every rule, or those of one dataset. */
  listAccessRules(dataset?: string): Promise<AccessRule[]>;
  putAccessRule(rule: AccessRule): Promise<void>;
  deleteAccessRule(dataset: string, subject: AccessSubject): Promise<boolean>;
}

/** A stable key for a rule's subject: `user:alice`, `group:staff`, `anonymous`. */
export function subjectKey(s: AccessSubject): string {
  return s.type === 'anonymous' ? 'anonymous' : `${s.type}:${s.name}`;
}

/** Parses `user:alice`, `group:staff` or `anonymous`; undefined when malformed. */
export function parseSubject(raw: string): AccessSubject | undefined {
  if (raw === 'anonymous') return { type: 'anonymous' };
  const m = /^(user|group):(.+)$/.exec(raw);
  if (!m || !NAME_PATTERN.test(m[2]!)) return undefined;
  return { type: m[1] as 'user' | 'group', name: m[2]! };
}

/** User and group names: no spaces or separators, so they fit in ids, cookies and logs unescaped. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

/** The in-memory store: HTTP tests, and a gateway started without OpenSearch security data. */
export function memoryIdentityStore(): IdentityStore {
  const users = new Map<string, UserRecord>();
  const groups = new Map<string, GroupRecord>();
  const keys = new Map<string, ApiKeyRecord>(); // by hash
  const clients = new Map<string, OAuthClientRecord>();
  const rules = new Map<string, AccessRule>(); // by dataset + subject
  const ruleId = (dataset: string, s: AccessSubject) => `${dataset}\u0000${subjectKey(s)}`;
  const copy = <T>(v: T): T => structuredClone(v);
  return {
    async getUser(username) {
      const u = users.get(username);
      return u && copy(u);
    },
    async listUsers() {
      return [...users.values()].map(copy).sort((a, b) => a.username.localeCompare(b.username));
    },
    async putUser(user) {
      users.set(user.username, copy(user));
    },
    async deleteUser(username) {
      for (const [h, k] of keys) if (k.username === username) keys.delete(h);
      return users.delete(username);
    },
    async getGroup(name) {
      const g = groups.get(name);
      return g && copy(g);
    },
    async listGroups() {
      return [...groups.values()].map(copy).sort((a, b) => a.name.localeCompare(b.name));
    },
    async putGroup(group) {
      groups.set(group.name, copy(group));
    },
    async deleteGroup(name) {
      return groups.delete(name);
    },
    async getApiKeyByHash(keyHash) {
      const k = keys.get(keyHash);
      return k && copy(k);
    },
    async listApiKeys(username) {
      return [...keys.values()]
        .filter((k) => username === undefined || k.username === username)
        .map(copy)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
    },
    async putApiKey(key) {
      keys.set(key.keyHash, copy(key));
    },
    async deleteApiKey(keyId) {
      for (const [h, k] of keys) {
        if (k.keyId === keyId) {
          keys.delete(h);
          return copy(k);
        }
      }
      return undefined;
    },
    async getClient(clientId) {
      const c = clients.get(clientId);
      return c && copy(c);
    },
    async listClients() {
      return [...clients.values()].map(copy).sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId));
    },
    async putClient(client) {
      clients.set(client.clientId, copy(client));
    },
    async deleteClient(clientId) {
      return clients.delete(clientId);
    },
    async getAccessRules(dataset) {
      return [...rules.values()].filter((r) => r.dataset === dataset).map(copy);
    },
    async listAccessRules(dataset) {
      return [...rules.values()]
        .filter((r) => dataset === undefined || r.dataset === dataset)
        .map(copy)
        .sort((a, b) => a.dataset.localeCompare(b.dataset) || subjectKey(a.subject).localeCompare(subjectKey(b.subject)));
    },
    async putAccessRule(rule) {
      rules.set(ruleId(rule.dataset, rule.subject), copy(rule));
    },
    async deleteAccessRule(dataset, subject) {
      return rules.delete(ruleId(dataset, subject));
    },
  };
}
