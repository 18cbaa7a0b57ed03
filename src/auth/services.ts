/**
 * What authentication, the OAuth2 server, permissions and the admin API share: the identity service
 * (durable data), the token store (short-lived data) and the OAuth2 settings. main.ts builds it over
 * OpenSearch and Redis (or the in-process store); createApp falls back to in-memory stores, so tests
 * and other engineers' apps get working (empty) authentication without wiring anything.
 */
import { identityService, type Identity } from './identity';
import { memoryIdentityStore } from './identity-store';
import { memoryTokenStore, type TokenStore } from './token-store';

export interface AuthSettings {
  /** PUBLIC_URL: the OAuth2 issuer; its path prefixes the OAuth2 endpoints in links and cookies. */
  issuer: string;
  codeTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionTtlSeconds: number;
}

export interface AuthServices {
  identity: Identity;
  tokens: TokenStore;
  settings: AuthSettings;
}

/** v1: codes live one hour and access tokens 3600 s (docs/v1-api.md, Authentication). */
export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  issuer: 'http://127.0.0.1:8080',
  codeTtlSeconds: 3600,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 31_536_000,
  sessionTtlSeconds: 1800,
};

/** In-memory identity and token stores (tests; a gateway without OpenSearch security data). */
export function inMemoryAuth(settings: Partial<AuthSettings> = {}, clock: () => number = Date.now): AuthServices {
  return {
    identity: identityService(memoryIdentityStore(), { cacheTtlMs: 0, clock }),
    tokens: memoryTokenStore(clock),
    settings: { ...DEFAULT_AUTH_SETTINGS, ...settings },
  };
}
