import { SETTINGS } from '../../src/config';
import type { QuotaSettings } from '../../src/quota/service';

/** Quota settings for tests: the defaults of src/config.ts, overrides re-read on every call. */
export function settings(over: Partial<QuotaSettings> = {}): QuotaSettings {
  return {
    anonymousDailyLimit: SETTINGS.quotaAnonymousDailyLimit.default,
    userDailyLimit: SETTINGS.quotaUserDailyLimit.default,
    domainDailyLimit: SETTINGS.quotaDomainDailyLimit.default,
    failurePolicy: SETTINGS.quotaRedisFailurePolicy.default,
    failOpenPercent: SETTINGS.quotaFailOpenPercent.default,
    overridesRefreshMs: 0,
    ...over,
  };
}
