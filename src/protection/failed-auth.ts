/**
 * Failed authentications per client IP: invalid API keys and access tokens on the API, wrong client
 * secrets on `/oauth2/token`, wrong passwords on the login form. Each failure counts; once an IP has
 * `limit` failures in its window, every credential it presents (right or wrong: an attacker must not
 * learn that a guess was right) answers 429 with Retry-After until the window ends. Requests without
 * credentials are not affected (they only meet the anonymous quota).
 *
 * Counts live in Redis when the gateway has one (all replicas share them), with an in-process
 * insurance limiter while Redis fails; in process otherwise. A failure of the store never refuses a
 * request (this is a brake on guessing, the quotas stay the hard limit).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayError } from '../errors';

export interface FailedAuthOptions {
  /** Failures allowed per IP and window (AUTH_FAILURE_LIMIT). */
  limit: number;
  /** The window, in seconds (AUTH_FAILURE_WINDOW_SECONDS). */
  windowSeconds: number;
  /** Shared counts (the quota connection); absent: in process. */
  redis?: Redis | undefined;
  /** Key prefix in Redis (`<INDEX_PREFIX>:authfail`). */
  keyPrefix?: string;
}

export interface FailedAuthLimiter {
  /** Throws a 429 GatewayError when the IP is blocked; resolves otherwise. */
  check(ip: string): Promise<void>;
  /** Counts one failure of the IP. */
  fail(ip: string): Promise<void>;
  /** Seconds until the IP may try again, or 0 (login pages word their own answer). */
  blockedFor(ip: string): Promise<number>;
}

export function failedAuthLimiter(options: FailedAuthOptions): FailedAuthLimiter {
  const common = { points: options.limit, duration: options.windowSeconds, keyPrefix: options.keyPrefix ?? 'authfail' };
  const memory = new RateLimiterMemory(common);
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ ...common, storeClient: options.redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(common) })
    : memory;

  const blockedFor = async (ip: string): Promise<number> => {
    try {
      const res = await limiter.get(ip);
      if (res && res.consumedPoints >= options.limit) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    } catch {
      // The store failed: let the request through (quotas still apply).
    }
    return 0;
  };

  return {
    blockedFor,
    async check(ip) {
      const seconds = await blockedFor(ip);
      if (seconds > 0) {
        throw new GatewayError('too_many_requests', `Too many failed authentications from this address; retry in ${seconds} s`, {
          headers: { 'Retry-After': String(seconds) },
        });
      }
    },
    async fail(ip) {
      try {
        await limiter.penalty(ip, 1);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) return;
      }
    },
  };
}
