/**
 * Building the quota service from the configuration (main.ts, the CLI, tests that start `main`).
 *
 * With Redis, quotas get their own connection (a duplicate of main's client) with the options a
 * counter needs: no offline queue, no retry across reconnections, no resend of in-flight commands,
 * a command timeout (QUOTA_STORE_TIMEOUT_MS). Keeping it apart also keeps rate-limiter-flexible's
 * Lua command definition off the shared client.
 */
import { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { QuotaService, type QuotaObserver, type QuotaSettings } from './service';
import { memoryQuotaStore, QUOTA_REDIS_OPTIONS, redisQuotaStore } from './store';

export type QuotaConfig = Pick<
  Config,
  | 'indexPrefix'
  | 'quotaAnonymousDailyLimit'
  | 'quotaUserDailyLimit'
  | 'quotaDomainDailyLimit'
  | 'quotaRedisFailurePolicy'
  | 'quotaFailOpenPercent'
  | 'quotaStoreTimeoutMs'
  | 'quotaOverridesRefreshMs'
>;

export function quotaSettings(config: QuotaConfig): QuotaSettings {
  return {
    anonymousDailyLimit: config.quotaAnonymousDailyLimit,
    userDailyLimit: config.quotaUserDailyLimit,
    domainDailyLimit: config.quotaDomainDailyLimit,
    failurePolicy: config.quotaRedisFailurePolicy,
    failOpenPercent: config.quotaFailOpenPercent,
    overridesRefreshMs: config.quotaOverridesRefreshMs,
  };
}

/** Quota keys of a deployment: `<INDEX_PREFIX>:quota:...` (two deployments sharing a Redis stay apart). */
export function quotaKeyPrefix(indexPrefix: string): string {
  return `${indexPrefix}:quota`;
}

/** Resolves true once the client is ready, false after `timeoutMs` (the caller goes on either way). */
export function redisReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    client.on('ready', onReady);
  });
}

/** A quota connection of its own (the CLI, tests). */
export function connectQuotaRedis(url: string, commandTimeoutMs: number): Redis {
  const client = new Redis(url, { ...QUOTA_REDIS_OPTIONS, commandTimeout: commandTimeoutMs });
  client.on('error', () => undefined); // failures surface as QuotaStoreErrors, logged by the service
  return client;
}

export interface QuotaWiring {
  service: QuotaService;
  /** The quota connection, when Redis is used. */
  client: Redis | undefined;
  /** Waits (bounded) for the store to be usable. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export function createQuota(
  config: QuotaConfig,
  deps: { redis?: Redis | undefined; logger?: Logger; observer?: QuotaObserver; now?: () => number },
): QuotaWiring {
  const common = {
    settings: quotaSettings(config),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.observer ? { observer: deps.observer } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  };
  if (!deps.redis) {
    return { service: new QuotaService({ ...common, store: memoryQuotaStore() }), client: undefined, ready: async () => true, close: async () => undefined };
  }
  const client = deps.redis.duplicate({ ...QUOTA_REDIS_OPTIONS, commandTimeout: config.quotaStoreTimeoutMs, lazyConnect: false });
  client.on('error', () => undefined); // failures surface as QuotaStoreErrors, logged by the service
  const store = redisQuotaStore(client, { prefix: quotaKeyPrefix(config.indexPrefix), timeoutMs: config.quotaStoreTimeoutMs });
  return {
    service: new QuotaService({ ...common, store }),
    client,
    ready: (ms) => redisReady(client, ms),
    close: async () => {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
