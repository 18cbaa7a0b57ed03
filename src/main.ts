/**
 * The composition root and the only process-level code: config → logger → clients → createApp →
 * listen → ordered, bounded shutdown (stop accepting → drain → cut what is left → release its
 * OpenSearch resources → close OpenSearch and Redis → exit; docs/operations.md).
 */
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { memoryGenerations, redisGenerations } from './cache/generations';
import { loadConfig, ConfigError, type Config } from './config';
import { createLogger, resolveLogFormat, type Logger } from './logger';
import { createApp } from './app';
import { createLifecycle } from './http/lifecycle';
import { trackConnections } from './http/server-drain';
import { createOpenSearchClient } from './opensearch/client';
import { openSearchBackend } from './opensearch/backend';
import { indexNames } from './datasets/index-names';
import { deleteOrphanIndices } from './datasets/orphans';
import { datasetRegistry } from './datasets/registry';
import { createMetrics } from './metrics/metrics';
import { createQuota } from './quota/wiring';
import { createAuth, runBootstrap } from './auth/wiring';
import { createFileStore } from './files/create-file-store';
import { openSearchPushLog } from './push/push-log';
import { pushKeys } from './push/push-keys';
import { openSearchPushKeyStore } from './push/opensearch-push-key-store';
import { pushService } from './push/push-service';
import { createHttpServer } from './http/server';
import { createProtection } from './protection';

/** How long an idle keep-alive connection stays open during the drain (at most half the timeout). */
const IDLE_GRACE_MS = 2000;
/** How long cut requests get to release what they hold in OpenSearch before the client closes. */
const CUT_GRACE_MS = 5000;

function connectRedis(config: Config, logger: Logger): Redis | undefined {
  if (!config.redisUrl) {
    logger.warn('REDIS_URL is not set: quotas and OAuth2 state use an in-process store (one gateway process only)');
    return undefined;
  }
  // No offline queue: when Redis is down a command fails at once instead of piling up and replaying
  // late (docs/quotas-and-monitoring.md).
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
  // Real-time push and multimedia: push keys and the push log live in OpenSearch (<prefix>-push,
  // <prefix>-push-log) and the file store in a bucket (FILE_STORE_S3_BUCKET): a replica keeps nothing
  // of its own on disk (the local FILE_STORE_DIR is the embedded default for one host).
  if (env.PUSH_BACKUP_DIR) {
    logger.warn({ dir: env.PUSH_BACKUP_DIR }, 'PUSH_BACKUP_DIR is no longer used: pushes are logged in OpenSearch; import an old backup with `push log import <dataset> <file>`');
  }
  const files = await createFileStore(config);
  logger.info({ files: files.location }, 'file store');
  const push = {
    service: pushService({ backend, files, log: openSearchPushLog(client, names) }),
    keys: pushKeys(openSearchPushKeyStore(client, names)),
    maxBodyBytes: config.pushMaxBodyBytes,
  };
  // Bounds on downloads, expression compilations and failed authentications (counts of failed
  // authentications are shared through the quota's Redis connection when there is one).
  const protection = createProtection(config, { redis: quota.client });
  const life = createLifecycle();
  const app = createApp({
    config,
    protection,
    lifecycle: life,
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
    // The response cache; dataset generations in Redis are shared with every replica and the ingest CLI.
    responseCache: {
      generations: redis ? redisGenerations(redis, config.indexPrefix, quota.client ?? redis) : memoryGenerations(),
      maxBytes: config.responseCacheMaxBytes,
      ttlMs: config.responseCacheTtlMs,
      nowTtlMs: config.responseCacheNowTtlMs,
    },
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
  const drain = trackConnections(server);
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
  // Indices of loads killed before their swap (src/datasets/orphans.ts); loads clean them too, so a
  // gateway without the privilege to delete indices only says so.
  void life.track(
    deleteOrphanIndices(client, names).then(
      (orphans) => {
        if (orphans.length > 0) logger.info({ orphans }, 'deleted indices left by interrupted loads');
      },
      (e: unknown) => logger.info({ err: (e as Error).message }, 'orphan index cleanup skipped (loads do it too)'),
    ),
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ inFlight: drain.inFlight() }, 'shutting down: not ready, no new connections, draining requests in flight');
      // From now on /readyz fails and every response says Connection: close.
      life.stop();
      const closed = drain.close();
      // An idle keep-alive connection is kept a moment for its client's next request (answered, with
      // Connection: close), then closed: closing it at once would reset a request already on its way.
      const idleGrace = Math.min(IDLE_GRACE_MS, Math.max(config.shutdownTimeoutMs / 2, 0));
      const sweep = setInterval(() => drain.closeIdle(idleGrace), 50);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs).unref());
      if ((await Promise.race([closed, timeout])) === 'timeout') {
        logger.warn({ timeoutMs: config.shutdownTimeoutMs, inFlight: drain.inFlight() }, 'requests still in flight after the timeout: cutting them');
        // Downloads end their response as an aborted stream and delete their point-in-time...
        life.cutNow();
        await life.settled(CUT_GRACE_MS);
        // ...and whatever is left is closed.
        drain.destroyAll();
        await closed;
      }
      clearInterval(sweep);
      // Work that outlives its response (a download's point-in-time deletion) ends before its client.
      if (!(await life.settled(CUT_GRACE_MS))) logger.warn('work still running after the drain: closing the clients anyway');
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
