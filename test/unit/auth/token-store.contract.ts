/**
 * The TokenStore contract, run on the in-process store (unit) and on Redis (integration): the same
 * cases, so both implementations mean the same thing.
 */
import type { GrantData, IssueRequest, TokenStore } from '../../../src/auth/token-store';

export interface ContractOptions {
  /** Waits until entries with a TTL of `seconds` have expired (a fake clock, or a real sleep). */
  expire(seconds: number): Promise<void>;
}

let n = 0;
const uid = (p: string) => `${p}${Date.now().toString(36)}${(n++).toString(36)}`;

export function grant(overrides: Partial<GrantData> = {}): GrantData {
  return { grantId: uid('g'), clientId: 'client-a', username: 'alice', scope: 'all', ...overrides };
}

export function issueRequest(g: GrantData, ttl = { access: 3600, refresh: 86400 }): IssueRequest {
  return { grant: g, accessHash: uid('at'), accessTtlSeconds: ttl.access, refreshHash: uid('rt'), refreshTtlSeconds: ttl.refresh };
}

export function tokenStoreContract(make: () => TokenStore, options: ContractOptions): void {
  let store: TokenStore;
  beforeEach(() => {
    store = make();
  });

  it('keeps a session until it is deleted', async () => {
    const id = uid('s');
    await store.putSession(id, { csrf: 'c', username: 'alice' }, 60);
    expect(await store.getSession(id)).toEqual({ csrf: 'c', username: 'alice' });
    await store.deleteSession(id);
    expect(await store.getSession(id)).toBeUndefined();
  });

  it('consumes a code exactly once, then answers "used" with its grant', async () => {
    const code = uid('c');
    const g = grant();
    await store.putCode(code, { grantId: g.grantId, clientId: 'client-a', redirectUri: 'https://x/cb', username: 'alice', scope: 'all' }, 60);
    const first = await store.consumeCode(code, 60);
    expect(first).toEqual({ status: 'ok', data: expect.objectContaining({ grantId: g.grantId, redirectUri: 'https://x/cb' }) });
    expect(await store.consumeCode(code, 60)).toEqual({ status: 'used', grantId: g.grantId });
    expect(await store.consumeCode(uid('nope'), 60)).toEqual({ status: 'missing' });
  });

  it('lets exactly one of many concurrent redemptions of a code win', async () => {
    const code = uid('c');
    await store.putCode(code, { grantId: uid('g'), clientId: 'c', redirectUri: 'r', username: 'u', scope: 'all' }, 60);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.consumeCode(code, 60)));
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'used')).toHaveLength(19);
  });

  it('issues tokens of a grant, and revoking the grant kills them all and refuses new ones', async () => {
    const g = grant();
    const req = issueRequest(g);
    expect(await store.issue(req)).toBe(true);
    expect(await store.getAccessToken(req.accessHash)).toEqual(g);
    expect(await store.peekRefresh(req.refreshHash)).toEqual({ status: 'ok', data: g });
    await store.revokeGrant(g.grantId, 60);
    expect(await store.getAccessToken(req.accessHash)).toBeUndefined();
    expect(await store.peekRefresh(req.refreshHash)).toEqual({ status: 'missing' });
    expect(await store.issue(issueRequest(g))).toBe(false);
  });

  it('rotates a refresh token once: the old one becomes "used", the new ones work', async () => {
    const g = grant();
    const first = issueRequest(g);
    await store.issue(first);
    const next = issueRequest(g);
    expect(await store.rotateRefresh(first.refreshHash, next)).toEqual({ status: 'ok', data: g });
    expect(await store.peekRefresh(first.refreshHash)).toEqual({ status: 'used', grantId: g.grantId });
    expect(await store.rotateRefresh(first.refreshHash, issueRequest(g))).toEqual({ status: 'used', grantId: g.grantId });
    expect(await store.getAccessToken(next.accessHash)).toEqual(g);
    expect(await store.peekRefresh(next.refreshHash)).toEqual({ status: 'ok', data: g });
    // The first access token lives on until it expires or the grant is revoked.
    expect(await store.getAccessToken(first.accessHash)).toEqual(g);
    await store.revokeGrant(g.grantId, 60);
    for (const h of [first.accessHash, next.accessHash]) expect(await store.getAccessToken(h)).toBeUndefined();
  });

  it('lets exactly one of many concurrent rotations of a refresh token win', async () => {
    const g = grant();
    const first = issueRequest(g);
    await store.issue(first);
    const attempts = Array.from({ length: 20 }, () => issueRequest(g));
    const results = await Promise.all(attempts.map((a) => store.rotateRefresh(first.refreshHash, a)));
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'used')).toHaveLength(19);
    const winners = attempts.filter((_, i) => results[i]!.status === 'ok');
    expect(await store.getAccessToken(winners[0]!.accessHash)).toEqual(g);
    const losers = attempts.filter((_, i) => results[i]!.status !== 'ok');
    for (const l of losers) expect(await store.getAccessToken(l.accessHash)).toBeUndefined();
  });

  it('refuses to rotate a refresh token of another grant, or of a revoked grant', async () => {
    const g = grant();
    const first = issueRequest(g);
    await store.issue(first);
    expect((await store.rotateRefresh(first.refreshHash, issueRequest(grant()))).status).toBe('missing');
    await store.revokeGrant(g.grantId, 60);
    expect((await store.rotateRefresh(first.refreshHash, issueRequest(g))).status).toBe('missing');
  });

  it('revokes one access token alone', async () => {
    const g = grant();
    const req = issueRequest(g);
    await store.issue(req);
    await store.revokeAccessToken(req.accessHash);
    expect(await store.getAccessToken(req.accessHash)).toBeUndefined();
    expect((await store.peekRefresh(req.refreshHash)).status).toBe('ok');
  });

  it('forgets codes, sessions and access tokens after their TTL', async () => {
    const g = grant();
    const req = issueRequest(g, { access: 1, refresh: 3600 });
    await store.issue(req);
    const code = uid('c');
    await store.putCode(code, { grantId: uid('g'), clientId: 'c', redirectUri: 'r', username: 'u', scope: 'all' }, 1);
    const sid = uid('s');
    await store.putSession(sid, { csrf: 'x' }, 1);
    await options.expire(1);
    expect(await store.getAccessToken(req.accessHash)).toBeUndefined();
    expect(await store.consumeCode(code, 60)).toEqual({ status: 'missing' });
    expect(await store.getSession(sid)).toBeUndefined();
    expect((await store.peekRefresh(req.refreshHash)).status).toBe('ok');
  });
}
