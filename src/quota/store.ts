/**
 * Where quota counters live: Redis (shared by every gateway process, atomic) or the process's memory
 * (one process only: no REDIS_URL, and the fail-open insurance while Redis is down).
 *
 * Counters go through rate-limiter-flexible (RateLimiterRedis: one Lua script `SET NX EX; INCRBY;
 * PTTL`, atomic and one round trip; RateLimiterMemory in process). Its limiter is used as an atomic
 * "add and read back" with a per-call TTL (`customDuration`): the limit differs per identity and can
 * change during the day (overrides), so the comparison with the limit is the service's, and a
 * counter is never tied to one limit value (an override keeps today's count).
 *
 * The one rule of rate-limiter-flexible to respect (its README, github.com/animir/node-rate-limiter-flexible): `consume()`
 * rejects with a RateLimiterRes when the limiter's own points are exceeded — that is data (the count),
 * not a failure — and with an Error when the store fails. Only the latter is a QuotaStoreError.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface TopEntry {
  identity: string;
  calls: number;
}

/** A failure of the store (connection refused, not ready, timeout, command error). Never "over quota". */
export class QuotaStoreError extends Error {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`quota store ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'QuotaStoreError';
  }
}

export interface QuotaStore {
  readonly kind: 'redis' | 'memory';
  /** Adds one call to the counter `key` (created with a TTL of `ttlSeconds`); the count after it. */
  take(key: string, ttlSeconds: number): Promise<number>;
  /** Takes one call back (a refused call does not count). */
  giveBack(key: string, ttlSeconds: number): Promise<void>;
  /** The counter's value, 0 when it does not exist. */
  count(key: string): Promise<number>;
  /** One admitted call of `identity` in the day's top-consumers set (kept `ttlSeconds`). */
  recordCall(day: string, identity: string, ttlSeconds: number): Promise<void>;
  /**
   * take() and, when the count is within `limit`, recordCall(), in one round trip (Redis: one Lua
   * script, atomic). Optional: the service calls take() and recordCall() when a store lacks it.
   */
  takeAndRecord?(key: string, ttlSeconds: number, limit: number, day: string, identity: string, topTtlSeconds: number): Promise<number>;
  /** The `n` identities with the most calls on `day`, most first. */
  top(day: string, n: number): Promise<TopEntry[]>;
  /** Every per-identity limit override. */
  overrides(): Promise<Map<string, number>>;
  /** Sets (or with undefined, removes) the daily limit of one identity. */
  setOverride(identity: string, limit: number | undefined): Promise<void>;
}

/** The limiter never rejects on its own: the per-identity comparison is the service's. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** consume() → the count; a RateLimiterRes rejection is a count too; an Error is a store failure. */
export async function consumeCount(limiter: RateLimiterAbstract, key: string, points: number, ttlSeconds: number): Promise<number> {
  try {
    const res = points >= 0
      ? await limiter.consume(key, points, { customDuration: ttlSeconds })
      : await limiter.reward(key, -points, { customDuration: ttlSeconds });
    return res.consumedPoints;
  } catch (e) {
    if (e instanceof RateLimiterRes) return e.consumedPoints;
    throw new QuotaStoreError(points >= 0 ? 'consume' : 'refund', e);
  }
}

/** Bounds a store call: a hung Redis must never hang a request (docs/quotas-and-monitoring.md). */
function bounded<T>(operation: string, timeoutMs: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new QuotaStoreError(operation, new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * ioredis options for the quota connection: fail at once instead of queueing while disconnected
 * (no offline queue, no retry of a request across reconnections), and never resend a command that
 * was in flight when the connection dropped (a resent INCR counts a call twice: OpenWA PR #932).
 */
export const QUOTA_REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2000,
  // How long a closing connection may linger (ioredis waits this long even for a dead socket).
  disconnectTimeout: 200,
  // Commands issued in one turn of the event loop go out in one write (ioredis sends them from a
  // setImmediate): the quota calls of concurrent requests, and each request's quota call with the
  // response cache's generation read, which shares this connection (src/main.ts).
  enableAutoPipelining: true,
};

export interface RedisQuotaStoreOptions {
  /** Every key starts with it (`<prefix>:calls:<day>:<identity>`, `<prefix>:top:<day>`, `<prefix>:overrides`). */
  prefix: string;
  /** Upper bound of one store call (QUOTA_STORE_TIMEOUT_MS). */
  timeoutMs: number;
}

/**
 * take() + recordCall() in one script: the counter as rate-limiter-flexible keeps it (an integer at
 * `<prefix>:calls:<key>`, created with its TTL, the TTL set again if it was ever lost), then the
 * top-consumers entry when the count is within the limit. KEYS: counter, top set; ARGV: counter TTL,
 * limit, identity, top set TTL. Returns the count.
 */
const TAKE_AND_RECORD_LUA = `redis.call('set', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local n = redis.call('incr', KEYS[1])
if redis.call('ttl', KEYS[1]) == -1 then redis.call('expire', KEYS[1], ARGV[1]) end
if n <= tonumber(ARGV[2]) then
  redis.call('zincrby', KEYS[2], 1, ARGV[3])
  redis.call('expire', KEYS[2], ARGV[4])
end
return n`;

type QuotaRedis = Redis & { odsQuotaTakeAndRecord?(counter: string, top: string, ttl: number, limit: number, identity: string, topTtl: number): Promise<number> };

export function redisQuotaStore(redis: Redis, options: RedisQuotaStoreOptions): QuotaStore {
  const { prefix, timeoutMs } = options;
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:calls`,
    points: UNBOUNDED,
    duration: 86_400,
    // Not connected: fail at once (then the outage policy applies) rather than wait for a timeout.
    rejectIfRedisNotReady: true,
  });
  const topKey = (day: string) => `${prefix}:top:${day}`;
  const overridesKey = `${prefix}:overrides`;
  const guard = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await bounded(operation, timeoutMs, run());
    } catch (e) {
      throw e instanceof QuotaStoreError ? e : new QuotaStoreError(operation, e);
    }
  };
  const notReady = () => redis.status !== 'ready';
  const scripted = redis as QuotaRedis;
  if (typeof scripted.odsQuotaTakeAndRecord !== 'function') scripted.defineCommand('odsQuotaTakeAndRecord', { numberOfKeys: 2, lua: TAKE_AND_RECORD_LUA });

  return {
    kind: 'redis',
    take: (key, ttl) => bounded('consume', timeoutMs, consumeCount(limiter, key, 1, ttl)),
    giveBack: async (key, ttl) => {
      await bounded('refund', timeoutMs, consumeCount(limiter, key, -1, ttl));
    },
    count: (key) =>
      guard('get', async () => {
        if (notReady()) throw new Error('Redis connection is not ready');
        const res = await limiter.get(key);
        return res?.consumedPoints ?? 0;
      }),
    recordCall: (day, identity, ttl) =>
      guard('record', async () => {
        if (notReady()) throw new Error('Redis connection is not ready');
        const results = await redis.multi().zincrby(topKey(day), 1, identity).expire(topKey(day), ttl).exec();
        const failed = results?.find(([err]) => err);
        if (failed) throw failed[0];
      }),
    takeAndRecord: (key, ttl, limit, day, identity, topTtl) =>
      guard('consume', async () => {
        if (notReady()) throw new Error('Redis connection is not ready');
        return Number(await scripted.odsQuotaTakeAndRecord!(`${prefix}:calls:${key}`, topKey(day), ttl, limit, identity, topTtl));
      }),
    top: (day, n) =>
      guard('top', async () => {
        if (notReady()) throw new Error('Redis connection is not ready');
        const flat = await redis.zrevrange(topKey(day), 0, n - 1, 'WITHSCORES');
        const out: TopEntry[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) out.push({ identity: flat[i]!, calls: Number(flat[i + 1]) });
        return out;
      }),
    overrides: () =>
      guard('overrides', async () => {
        if (notReady()) throw new Error('Redis connection is not ready');
        const all = await redis.hgetall(overridesKey);
        const out = new Map<string, number>();
        for (const [identity, raw] of Object.entries(all)) {
          const n = Number(raw);
          if (Number.isSafeInteger(n) && n >= 0) out.set(identity, n);
        }
        return out;
      }),
    setOverride: (identity, limit) =>
      guard('set override', async () => {
        if (notReady()) throw new Error('Redis connection is not ready');
        if (limit === undefined) await redis.hdel(overridesKey, identity);
        else await redis.hset(overridesKey, identity, String(limit));
      }),
  };
}

/** The in-process store: one process only (no REDIS_URL), or the insurance while Redis is down. */
export function memoryQuotaStore(): QuotaStore {
  const limiter = new RateLimiterMemory({ keyPrefix: 'calls', points: UNBOUNDED, duration: 86_400 });
  const calls = new Map<string, Map<string, number>>();
  const limits = new Map<string, number>();
  return {
    kind: 'memory',
    take: (key, ttl) => consumeCount(limiter, key, 1, ttl),
    giveBack: async (key, ttl) => {
      await consumeCount(limiter, key, -1, ttl);
    },
    count: async (key) => (await limiter.get(key))?.consumedPoints ?? 0,
    recordCall: async (day, identity) => {
      let m = calls.get(day);
      if (!m) {
        m = new Map();
        calls.set(day, m);
        // Today and yesterday are enough (the Redis sets expire after two days too).
        for (const d of [...calls.keys()].sort().slice(0, -2)) calls.delete(d);
      }
      m.set(identity, (m.get(identity) ?? 0) + 1);
    },
    top: async (day, n) =>
      [...(calls.get(day) ?? new Map<string, number>()).entries()]
        .map(([identity, c]) => ({ identity, calls: c }))
        .sort((a, b) => b.calls - a.calls || (a.identity < b.identity ? -1 : 1))
        .slice(0, n),
    overrides: async () => new Map(limits),
    setOverride: async (identity, limit) => {
      if (limit === undefined) limits.delete(identity);
      else limits.set(identity, limit);
    },
  };
}
