/**
 * Short-lived OAuth2 state: login sessions, authorization codes, grants with their access and refresh
 * tokens. Redis in production (redis-token-store.ts, atomic Lua scripts); the in-process store below
 * when REDIS_URL is unset (one gateway process only) and in HTTP tests.
 *
 * Every secret is stored under its sha256 (`codeHash`, `tokenHash`, `sessionHash`): a dump of the
 * store gives no usable credential.
 *
 * The operations are the security-relevant ones, each atomic:
 * - `consumeCode` takes a code exactly once and leaves a "used" marker naming its grant, so a second
 *   redemption is recognised (RFC 6749 §4.1.2: deny, and revoke what the code gave);
 * - `issue` creates a grant's tokens unless the grant was revoked meanwhile;
 * - `rotateRefresh` consumes a refresh token and issues its successors in one step, so of two
 *   concurrent refreshes exactly one succeeds, and the other sees "used" (→ the grant is revoked);
 * - `revokeGrant` deletes every token of a grant and marks it revoked.
 */

export interface SessionData {
  /** The per-session CSRF token, checked on every POST of the login and consent forms. */
  csrf: string;
  /** Set once the user logged in. */
  username?: string;
}

export interface CodeData {
  grantId: string;
  clientId: string;
  redirectUri: string;
  /** The authorization request left redirect_uri out (RFC 6749 §4.1.3: then the token request may too). */
  redirectUriOmitted?: true;
  username: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

export interface GrantData {
  grantId: string;
  clientId: string;
  username: string;
  scope: string;
}

/** What an access token or a refresh token stands for: its grant. */
export type TokenData = GrantData;

export type ConsumeResult<T> = { status: 'ok'; data: T } | { status: 'used'; grantId: string } | { status: 'missing' };

export interface IssueRequest {
  grant: GrantData;
  accessHash: string;
  accessTtlSeconds: number;
  refreshHash: string;
  /** The refresh token's lifetime, also the grant's (each rotation extends it). */
  refreshTtlSeconds: number;
}

export interface TokenStore {
  putSession(sessionHash: string, data: SessionData, ttlSeconds: number): Promise<void>;
  getSession(sessionHash: string): Promise<SessionData | undefined>;
  deleteSession(sessionHash: string): Promise<void>;

  putCode(codeHash: string, data: CodeData, ttlSeconds: number): Promise<void>;
  /** Takes the code (once); a later call answers `used` with the grant id, for `usedTtlSeconds`. */
  consumeCode(codeHash: string, usedTtlSeconds: number): Promise<ConsumeResult<CodeData>>;

  /** Creates the grant's tokens; false when the grant was revoked (e.g. its code was reused meanwhile). */
  issue(req: IssueRequest): Promise<boolean>;
  /** Reads a refresh token without consuming it (client and scope checks come before rotation). */
  peekRefresh(refreshHash: string): Promise<ConsumeResult<TokenData>>;
  /** Consumes `oldRefreshHash` of `req.grant` and issues `req`'s tokens, atomically. */
  rotateRefresh(oldRefreshHash: string, req: IssueRequest): Promise<ConsumeResult<TokenData>>;

  /** The grant behind a live access token; undefined when unknown, expired or revoked. */
  getAccessToken(accessHash: string): Promise<TokenData | undefined>;
  revokeAccessToken(accessHash: string): Promise<void>;
  /** Deletes every token of the grant and refuses new ones for `ttlSeconds`. */
  revokeGrant(grantId: string, ttlSeconds: number): Promise<void>;

  close?(): Promise<void>;
}

interface Entry {
  value: unknown;
  /** Epoch ms; Infinity for no expiry. */
  expiresAt: number;
}

/**
 * The in-process TokenStore: a Map with expiry. Every operation runs without awaiting in between, so
 * each is atomic in Node's single thread, like the Redis scripts.
 */
export function memoryTokenStore(clock: () => number = Date.now): TokenStore {
  const map = new Map<string, Entry>();
  let writes = 0;
  const sweep = () => {
    const now = clock();
    for (const [k, e] of map) if (e.expiresAt <= now) map.delete(k);
  };
  const read = <T>(key: string): T | undefined => {
    const e = map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= clock()) {
      map.delete(key);
      return undefined;
    }
    return structuredClone(e.value) as T;
  };
  const write = (key: string, value: unknown, ttlSeconds: number) => {
    if (++writes % 1000 === 0) sweep();
    map.set(key, { value: structuredClone(value), expiresAt: ttlSeconds > 0 ? clock() + ttlSeconds * 1000 : Infinity });
  };
  const grantKeys = (grantId: string): Set<string> => {
    const e = read<string[]>(`grant:${grantId}:keys`);
    return new Set(e ?? []);
  };
  const addToGrant = (grantId: string, key: string, ttlSeconds: number) => {
    const keys = grantKeys(grantId);
    keys.add(key);
    write(`grant:${grantId}:keys`, [...keys], ttlSeconds);
  };
  const issueNow = (req: IssueRequest): boolean => {
    const g = req.grant.grantId;
    if (read(`grant:${g}:revoked`) !== undefined) return false;
    write(`at:${req.accessHash}`, req.grant, req.accessTtlSeconds);
    write(`rt:${req.refreshHash}`, req.grant, req.refreshTtlSeconds);
    addToGrant(g, `at:${req.accessHash}`, req.refreshTtlSeconds);
    addToGrant(g, `rt:${req.refreshHash}`, req.refreshTtlSeconds);
    return true;
  };
  const usedOrMissing = <T>(usedKey: string): ConsumeResult<T> => {
    const used = read<string>(usedKey);
    return used !== undefined ? { status: 'used', grantId: used } : { status: 'missing' };
  };

  return {
    async putSession(h, data, ttl) {
      write(`sess:${h}`, data, ttl);
    },
    async getSession(h) {
      return read<SessionData>(`sess:${h}`);
    },
    async deleteSession(h) {
      map.delete(`sess:${h}`);
    },
    async putCode(h, data, ttl) {
      write(`code:${h}`, data, ttl);
    },
    async consumeCode(h, usedTtl) {
      const data = read<CodeData>(`code:${h}`);
      if (data === undefined) return usedOrMissing(`code:${h}:used`);
      map.delete(`code:${h}`);
      write(`code:${h}:used`, data.grantId, usedTtl);
      return { status: 'ok', data };
    },
    async issue(req) {
      return issueNow(req);
    },
    async peekRefresh(h) {
      const data = read<TokenData>(`rt:${h}`);
      return data !== undefined ? { status: 'ok', data } : usedOrMissing(`rt:${h}:used`);
    },
    async rotateRefresh(oldHash, req) {
      const data = read<TokenData>(`rt:${oldHash}`);
      if (data === undefined) return usedOrMissing(`rt:${oldHash}:used`);
      if (data.grantId !== req.grant.grantId) return { status: 'missing' };
      if (read(`grant:${data.grantId}:revoked`) !== undefined) return { status: 'missing' };
      map.delete(`rt:${oldHash}`);
      write(`rt:${oldHash}:used`, data.grantId, req.refreshTtlSeconds);
      const keys = grantKeys(data.grantId);
      keys.delete(`rt:${oldHash}`);
      write(`grant:${data.grantId}:keys`, [...keys], req.refreshTtlSeconds);
      issueNow(req);
      return { status: 'ok', data };
    },
    async getAccessToken(h) {
      return read<TokenData>(`at:${h}`);
    },
    async revokeAccessToken(h) {
      map.delete(`at:${h}`);
    },
    async revokeGrant(grantId, ttl) {
      for (const k of grantKeys(grantId)) map.delete(k);
      map.delete(`grant:${grantId}:keys`);
      write(`grant:${grantId}:revoked`, 1, ttl);
    },
  };
}
