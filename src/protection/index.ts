/**
 * The gateway's bounds on what one caller may cost beyond the daily quota (docs/security.md,
 * "Resource bounds"): concurrent and long downloads, script compilations of analyze expressions,
 * failed authentications. main.ts builds them from the configuration (with the quota's Redis
 * connection for shared failure counts); createApp falls back to the defaults, in process.
 */
import type { Redis } from 'ioredis';
import { SETTINGS, type Config } from '../config';
import { downloadSlots, type DownloadSlots } from './download-slots';
import { failedAuthLimiter, type FailedAuthLimiter } from './failed-auth';
import { scriptBudget, type ScriptBudget } from './script-budget';

export type { DownloadSlots } from './download-slots';
export type { FailedAuthLimiter } from './failed-auth';
export type { ScriptBudget } from './script-budget';

export interface Protection {
  downloads: DownloadSlots;
  scripts: ScriptBudget;
  authFailures: FailedAuthLimiter;
}

type Keys =
  | 'downloadMaxConcurrent'
  | 'downloadMaxPerIdentity'
  | 'downloadMaxSeconds'
  | 'downloadIdleTimeoutSeconds'
  | 'analyzeCompilationsPer5m'
  | 'analyzeCompilationsPerIdentityPer5m'
  | 'authFailureLimit'
  | 'authFailureWindowSeconds';

export type ProtectionConfig = Partial<Pick<Config, Keys | 'indexPrefix'>>;

const FIVE_MINUTES_MS = 5 * 60 * 1000;

export function createProtection(config: ProtectionConfig = {}, deps: { redis?: Redis | undefined } = {}): Protection {
  const value = <K extends Keys>(k: K): number => config[k] ?? (SETTINGS[k].default as number);
  return {
    downloads: downloadSlots({
      maxConcurrent: value('downloadMaxConcurrent'),
      maxPerIdentity: value('downloadMaxPerIdentity'),
      maxSeconds: value('downloadMaxSeconds'),
      idleSeconds: value('downloadIdleTimeoutSeconds'),
    }),
    scripts: scriptBudget({
      overall: value('analyzeCompilationsPer5m'),
      perIdentity: value('analyzeCompilationsPerIdentityPer5m'),
      windowMs: FIVE_MINUTES_MS,
    }),
    authFailures: failedAuthLimiter({
      limit: value('authFailureLimit'),
      windowSeconds: value('authFailureWindowSeconds'),
      redis: deps.redis,
      keyPrefix: `${config.indexPrefix ?? SETTINGS.indexPrefix.default}:authfail`,
    }),
  };
}
