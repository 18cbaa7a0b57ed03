/**
 * The two answers of the quota layer that are not "go on": 429 with the v1 quota body
 * (docs/v1-api.md, Quotas and errors) and, under the fail-closed policy while the store is down, 503 (never 429:
 * the caller did nothing wrong).
 */
import { GatewayError } from '../errors';

/** v1 errorcodes of quota rejections. */
export const QUOTA_ERRORCODES = {
  /** The caller's own daily quota (anonymous IP, and — our choice — an authenticated user too). */
  identity: 10005,
  /** The domain-wide cap (all callers together). */
  domain: 10002,
} as const;

export const QUOTA_MESSAGES = {
  anonymous: 'You have exceeded the requests limit for anonymous users.',
  user: 'You have exceeded the requests limit for your account.',
  domain: 'Too many requests on the domain. Please contact the domain administrator.',
} as const;

export interface QuotaRejection {
  layer: 'identity' | 'domain';
  principal: 'anonymous' | 'user';
  callLimit: number;
  resetTime: string;
  retryAfterSeconds: number;
}

/** 429 `{"errorcode":10005|10002,"reset_time":"...T00:00:00Z","limit_time_unit":"day","call_limit":n,"error":"..."}`. */
export function quotaExceeded(r: QuotaRejection): GatewayError {
  const message = r.layer === 'domain' ? QUOTA_MESSAGES.domain : QUOTA_MESSAGES[r.principal];
  return new GatewayError('quota_exceeded', message, {
    errorcode: r.layer === 'domain' ? QUOTA_ERRORCODES.domain : QUOTA_ERRORCODES.identity,
    extra: { reset_time: r.resetTime, limit_time_unit: 'day', call_limit: r.callLimit },
    headers: { 'Retry-After': String(r.retryAfterSeconds) },
  });
}

/** 503 store_unavailable with a short Retry-After. */
export function quotaStoreUnavailable(retryAfterSeconds = 5): GatewayError {
  return new GatewayError('store_unavailable', 'The quota service is unavailable, retry later', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
