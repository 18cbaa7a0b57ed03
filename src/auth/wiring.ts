/**
 * Building the authentication services for main.ts: identity over the OpenSearch security index,
 * OAuth2 state over Redis (or the in-process store when REDIS_URL is unset, which main.ts logs), and
 * the bootstrap file applied before the gateway listens.
 */
import type { Redis } from 'ioredis';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from '../config';
import type { IndexNames } from '../datasets/index-names';
import { isGatewayError } from '../errors';
import type { Logger } from '../logger';
import { applyBootstrap, readBootstrapFile } from './bootstrap';
import { identityService } from './identity';
import { openSearchIdentityStore } from './opensearch-identity-store';
import { redisTokenStore } from './redis-token-store';
import type { AuthServices } from './services';
import { memoryTokenStore } from './token-store';

type AuthConfig = Pick<
  Config,
  | 'publicUrl'
  | 'indexPrefix'
  | 'identityCacheTtlMs'
  | 'oauth2CodeTtlSeconds'
  | 'oauth2AccessTokenTtlSeconds'
  | 'oauth2RefreshTokenTtlSeconds'
  | 'oauth2SessionTtlSeconds'
>;

export function createAuth(config: AuthConfig, deps: { client: Client; names: IndexNames; redis: Redis | undefined }): AuthServices {
  return {
    identity: identityService(openSearchIdentityStore(deps.client, deps.names.securityIndex), { cacheTtlMs: config.identityCacheTtlMs }),
    tokens: deps.redis ? redisTokenStore(deps.redis, `${config.indexPrefix}:auth:`) : memoryTokenStore(),
    settings: {
      issuer: config.publicUrl,
      codeTtlSeconds: config.oauth2CodeTtlSeconds,
      accessTokenTtlSeconds: config.oauth2AccessTokenTtlSeconds,
      refreshTokenTtlSeconds: config.oauth2RefreshTokenTtlSeconds,
      sessionTtlSeconds: config.oauth2SessionTtlSeconds,
    },
  };
}

/**
 * Applies BOOTSTRAP_FILE, when set. An invalid file fails at once (BootstrapError); an unreachable
 * OpenSearch is waited for (docker-compose may start the gateway first) up to `maxWaitMs`.
 */
export async function runBootstrap(
  path: string | undefined,
  auth: AuthServices,
  logger: Logger,
  options: { maxWaitMs?: number; retryMs?: number } = {},
): Promise<void> {
  if (!path) return;
  const file = await readBootstrapFile(path);
  const deadline = Date.now() + (options.maxWaitMs ?? 60_000);
  for (;;) {
    try {
      const summary = await applyBootstrap(auth.identity, file);
      logger.info({ bootstrap: path, ...summary }, 'bootstrap file applied');
      return;
    } catch (e) {
      const retryable = isGatewayError(e) && e.status === 503;
      if (!retryable || Date.now() > deadline) throw e;
      logger.warn({ err: (e as Error).message }, 'bootstrap: OpenSearch not ready, retrying');
      await new Promise((r) => setTimeout(r, options.retryMs ?? 2000));
    }
  }
}
