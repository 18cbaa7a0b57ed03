/**
 * The composition root and the only process-level code: config → logger → clients → createApp →
 * listen → ordered, bounded shutdown (stop accepting → drain → close OpenSearch and Redis → exit).
 */
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { loadConfig, ConfigError, type Config } from './config';
import { createLogger, resolveLogFormat, type Logger } from './logger';
import { createApp } from './app';
import { createOpenSearchClient } from './opensearch/client';
import { openSearchBackend } from './opensearch/backend';
import { indexNames } from './datasets/index-names';
import { datasetRegistry } from './datasets/registry';
import { createMetrics } from './metrics/metrics';
import { createQuota } from './quota/wiring';
import { createAuth, runBootstrap } from './auth/wiring';
import { directoryFileStore } from './files/file-store';
import { fileBackup } from './push/backup-writer';
import { pushKeys } from './push/push-keys';
import { openSearchPushKeyStore } from './push/opensearch-push-key-store';
import { pushService } from './push/push-service';
import { createHttpServer } from './http/server';
import { createProtection } from './protection';

function connectRedis(config: Config, logger: Logger): Redis | undefined {
  if (!config.redisUrl) {
    logger.warn('REDIS_URL is not set: quotas and OAuth2 state use an in-process store (one gateway process only)');
    return undefined;
  }
  // No offline queue: when Redis is down a command fails at once instead of piling up and replaying
  // late (security-quotas.md §2.1).
  const redis = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    lazyConnect: false,
  });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error'));
  logger.info({ redis: config.redisUrl.replace(/\/\/[^@]*@/, '//[Redacted]@') }, 'using Redis');
  return redis;
}

export async function start(env: Record<string, string | undefined> = process.env): Promise<{ server: Server; stop: () => Promise<void> }> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, undefined, resolveLogFormat(config.logFormat, process.stdout.isTTY === true));
  const client = createOpenSearchClient(config);
  const names = indexNames(config.indexPrefix);
  const backend = openSearchBackend(client, names);
  const registry = datasetRegistry(backend, config.datasetCacheTtlMs);
  const redis = connectRedis(config, logger);
  // Identity, OAuth2 state and permissions (src/auth); BOOTSTRAP_FILE is applied before listening.
  const auth = createAuth(config, { client, names, redis });
  await runBootstrap(config.bootstrapFile, auth, logger).catch(async (e: unknown) => {
    await client.close().catch(() => undefined);
    redis?.disconnect();
    throw e;
  });
  // Quotas and metrics: one registry for the process; quota counters in Redis (or in process).
  const metrics = createMetrics();
  const quota = createQuota(config, { redis, logger, observer: metrics.quotaObserver });
  if (quota.client && !(await quota.ready(2000))) {
    logger.warn({ policy: config.quotaRedisFailurePolicy }, 'Redis not ready for quotas yet: the failure policy applies until it is');
  }
  // Real-time push and multimedia: the file store and the push backup are directories (volumes shared
  // by the replicas); push keys live in OpenSearch (<prefix>-push).
  const files = directoryFileStore(config.fileStoreDir);
  const push = {
    service: pushService({ backend, files, backup: fileBackup(config.pushBackupDir) }),
    keys: pushKeys(openSearchPushKeyStore(client, names)),
    maxBodyBytes: config.pushMaxBodyBytes,
  };
  // Bounds on downloads, expression compilations and failed authentications (counts of failed
  // authentications are shared through the quota's Redis connection when there is one).
  const protection = createProtection(config, { redis: quota.client });
  const app = createApp({
    config,
    protection,
    push,
    files,
    thumbnailMaxSize: config.thumbnailMaxSize,
    logger,
    backend,
    registry,
    quota: quota.service,
    metrics,
    tokens: { admin: config.adminToken, metrics: config.metricsToken },
    auth,
    redis: redis
      ? {
          ping: async () => {
            try {
              return (await redis.ping()) === 'PONG';
            } catch {
              return false;
            }
          },
        }
      : undefined,
  });

  // Slow clients: a whole request must arrive within HTTP_REQUEST_TIMEOUT_MS (src/http/server.ts).
  const server = createHttpServer(app, { requestTimeoutMs: config.httpRequestTimeoutMs });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: `http://${config.host}:${port}`, opensearch: config.opensearchUrl, indexPrefix: config.indexPrefix }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('shutting down: no new connections, draining requests in flight');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections that finish their request become idle later: close them as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs).unref());
      if ((await Promise.race([closed, timeout])) === 'timeout') {
        logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still in flight after the timeout: closing their connections');
        server.closeAllConnections();
        await closed;
      }
      clearInterval(sweep);
      await client.close().catch(() => undefined);
      await quota.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
      logger.info('stopped');
    })();
    return stopping;
  };
  return { server, stop };
}

if (require.main === module) {
  start().then(
    ({ stop }) => {
      const onSignal = (signal: string) => {
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
        void signal;
      };
      process.once('SIGTERM', () => onSignal('SIGTERM'));
      process.once('SIGINT', () => onSignal('SIGINT'));
    },
    (e: unknown) => {
      if (e instanceof ConfigError) {
        process.stderr.write(`${e.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`failed to start: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
