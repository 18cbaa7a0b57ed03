import type { QuotaSettings } from '../../../src/quota/service';

/** Quota settings for tests: the defaults of src/config.ts, overrides re-read on every call. */
export function settings(over: Partial<QuotaSettings> = {}): QuotaSettings {
  return {
    anonymousDailyLimit: 1000,
    userDailyLimit: 10000,
    domainDailyLimit: 0,
    failurePolicy: 'open',
    failOpenPercent: 100,
    overridesRefreshMs: 0,
    ...over,
  };
}
