/**
 * The TokenStore over Redis. Each security-relevant operation is one Lua script, so it is atomic
 * across every gateway replica (see token-store.ts for what each guarantees). Keys:
 *
 *   <prefix>sess:<sha256>            session JSON                      TTL OAUTH2_SESSION_TTL_SECONDS
 *   <prefix>code:<sha256>            code JSON                         TTL OAUTH2_CODE_TTL_SECONDS
 *   <prefix>code:<sha256>:used       grant id of a redeemed code       TTL = code TTL
 *   <prefix>at:<sha256>              grant JSON of an access token     TTL OAUTH2_ACCESS_TOKEN_TTL_SECONDS
 *   <prefix>rt:<sha256>              grant JSON of a refresh token     TTL OAUTH2_REFRESH_TOKEN_TTL_SECONDS
 *   <prefix>rt:<sha256>:used         grant id of a rotated refresh     TTL = refresh TTL
 *   <prefix>grant:<id>:keys          set of the grant's token keys     TTL = refresh TTL
 *   <prefix>grant:<id>:revoked       revocation marker                 TTL = refresh TTL
 *
 * The scripts touch keys they compute (set members), which is fine on one Redis (what
 * docker-compose runs) but not on Redis Cluster.
 */
import type { Redis } from 'ioredis';
import { GatewayError } from '../errors';
import type { CodeData, ConsumeResult, IssueRequest, SessionData, TokenData, TokenStore } from './token-store';

const ISSUE_FN = `
local function issue(revoked, set, at, rt, grant, attl, rttl)
  if redis.call('EXISTS', revoked) == 1 then return 0 end
  redis.call('SET', at, grant, 'EX', attl)
  redis.call('SET', rt, grant, 'EX', rttl)
  redis.call('SADD', set, at, rt)
  redis.call('EXPIRE', set, rttl)
  return 1
end
`;

/** KEYS: revoked, set, at, rt. ARGV: grant JSON, access TTL, refresh TTL. */
const ISSUE = `${ISSUE_FN}
return issue(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3])`;

/** KEYS: code, used marker. ARGV: marker TTL. */
const CONSUME_CODE = `
local v = redis.call('GET', KEYS[1])
if not v then
  local u = redis.call('GET', KEYS[2])
  if u then return {'used', u} end
  return {'missing'}
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], cjson.decode(v).grantId, 'EX', ARGV[1])
return {'ok', v}`;

/** KEYS: old rt, old rt used marker, revoked, set, new at, new rt. ARGV: grant id, grant JSON, access TTL, refresh TTL. */
const ROTATE = `${ISSUE_FN}
local v = redis.call('GET', KEYS[1])
if not v then
  local u = redis.call('GET', KEYS[2])
  if u then return {'used', u} end
  return {'missing'}
end
if cjson.decode(v).grantId ~= ARGV[1] then return {'missing'} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {'missing'} end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], KEYS[1])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4])
issue(KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[2], ARGV[3], ARGV[4])
return {'ok', v}`;

/** KEYS: set, revoked. ARGV: TTL of the marker. */
const REVOKE_GRANT = `
local members = redis.call('SMEMBERS', KEYS[1])
for _, k in ipairs(members) do redis.call('DEL', k) end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return #members`;

function storeError(e: unknown): GatewayError {
  return new GatewayError('store_unavailable', 'The token store (Redis) is unavailable, retry later', {
    headers: { 'Retry-After': '5' },
    cause: e,
  });
}

export function redisTokenStore(redis: Redis, prefix: string): TokenStore {
  const k = (s: string) => `${prefix}${s}`;
  const run = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw storeError(e);
    }
  };
  const getJson = async <T>(key: string): Promise<T | undefined> => {
    const v = await run(() => redis.get(k(key)));
    return v === null ? undefined : (JSON.parse(v) as T);
  };
  const toResult = <T>(r: unknown): ConsumeResult<T> => {
    const [status, value] = r as [string, string | undefined];
    if (status === 'ok') return { status: 'ok', data: JSON.parse(value!) as T };
    if (status === 'used') return { status: 'used', grantId: value! };
    return { status: 'missing' };
  };
  const grantKeys = (grantId: string) => ({ revoked: k(`grant:${grantId}:revoked`), set: k(`grant:${grantId}:keys`) });

  return {
    async putSession(h, data, ttl) {
      await run(() => redis.set(k(`sess:${h}`), JSON.stringify(data), 'EX', ttl));
    },
    getSession: (h) => getJson<SessionData>(`sess:${h}`),
    async deleteSession(h) {
      await run(() => redis.del(k(`sess:${h}`)));
    },
    async putCode(h, data, ttl) {
      await run(() => redis.set(k(`code:${h}`), JSON.stringify(data), 'EX', ttl));
    },
    async consumeCode(h, usedTtl) {
      const r = await run(() => redis.eval(CONSUME_CODE, 2, k(`code:${h}`), k(`code:${h}:used`), usedTtl));
      return toResult<CodeData>(r);
    },
    async issue(req: IssueRequest) {
      const g = grantKeys(req.grant.grantId);
      const r = await run(() =>
        redis.eval(
          ISSUE,
          4,
          g.revoked,
          g.set,
          k(`at:${req.accessHash}`),
          k(`rt:${req.refreshHash}`),
          JSON.stringify(req.grant),
          req.accessTtlSeconds,
          req.refreshTtlSeconds,
        ),
      );
      return Number(r) === 1;
    },
    async peekRefresh(h) {
      const data = await getJson<TokenData>(`rt:${h}`);
      if (data) return { status: 'ok', data };
      const used = await run(() => redis.get(k(`rt:${h}:used`)));
      return used !== null ? { status: 'used', grantId: used } : { status: 'missing' };
    },
    async rotateRefresh(oldHash, req) {
      const g = grantKeys(req.grant.grantId);
      const r = await run(() =>
        redis.eval(
          ROTATE,
          6,
          k(`rt:${oldHash}`),
          k(`rt:${oldHash}:used`),
          g.revoked,
          g.set,
          k(`at:${req.accessHash}`),
          k(`rt:${req.refreshHash}`),
          req.grant.grantId,
          JSON.stringify(req.grant),
          req.accessTtlSeconds,
          req.refreshTtlSeconds,
        ),
      );
      return toResult<TokenData>(r);
    },
    getAccessToken: (h) => getJson<TokenData>(`at:${h}`),
    async revokeAccessToken(h) {
      await run(() => redis.del(k(`at:${h}`)));
    },
    async revokeGrant(grantId, ttl) {
      const g = grantKeys(grantId);
      await run(() => redis.eval(REVOKE_GRANT, 2, g.set, g.revoked, ttl));
    },
  };
}
