/**
 * Dataset generations: a counter per dataset, bumped by every write that can change an answer (a
 * push or a record deletion acknowledged by the gateway, a reload's alias swap). The response cache
 * (src/http/middleware/response-cache.ts) keys its entries by the generation it read BEFORE computing an answer,
 * so an entry computed before a write is never served after the write was acknowledged.
 *
 * With Redis, the counter lives there (`<prefix>:cache-gen:<dataset>`), shared by every replica and by
 * the ingest CLI; without Redis, in the process (one gateway, no other writer).
 */
import { Redis } from 'ioredis';

export interface Generations {
  /** The current generation of a dataset ('0' before its first write). */
  current(datasetId: string): Promise<string>;
  /** A new generation: every entry of the dataset stops being served. */
  bump(datasetId: string): Promise<void>;
}

export function memoryGenerations(): Generations {
  const gens = new Map<string, number>();
  return {
    current: (id) => Promise.resolve(String(gens.get(id) ?? 0)),
    bump: (id) => {
      gens.set(id, (gens.get(id) ?? 0) + 1);
      return Promise.resolve();
    },
  };
}

/** The Redis key of a dataset's generation. */
export const generationKey = (indexPrefix: string, datasetId: string): string => `${indexPrefix}:cache-gen:${datasetId}`;

/**
 * `reader` (default: `redis`) reads the generations: the gateway passes the quota's connection, whose
 * commands are pipelined, so that the generation read of a request and its quota call go to Redis
 * in one write (docs/response-cache.md).
 */
export function redisGenerations(redis: Pick<Redis, 'get' | 'incr'>, indexPrefix: string, reader: Pick<Redis, 'get'> = redis): Generations {
  return {
    current: async (id) => (await reader.get(generationKey(indexPrefix, id))) ?? '0',
    bump: async (id) => {
      await redis.incr(generationKey(indexPrefix, id));
    },
  };
}

/**
 * For the ingest CLI: bumps the generation of a reloaded dataset in the gateways' Redis right after
 * the alias swap. A failure is reported, not fatal (the load itself succeeded): the gateways' caches
 * then keep serving the previous data until RESPONSE_CACHE_TTL_MS.
 */
export function reloadGenerationBumper(
  redisUrl: string | undefined,
  indexPrefix: string,
  say: (line: string) => void,
): { onSwapped?: (datasetId: string) => Promise<void>; close(): Promise<void> } {
  if (!redisUrl) return { close: () => Promise.resolve() };
  let redis: Redis | undefined;
  return {
    onSwapped: async (datasetId) => {
      try {
        if (!redis) {
          redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
          redis.on('error', () => undefined);
        }
        await redisGenerations(redis, indexPrefix).bump(datasetId);
      } catch (e) {
        say(`warning: the gateways' response caches were not told of the reload of ${datasetId} (Redis: ${(e as Error).message}); they may serve the previous data for up to RESPONSE_CACHE_TTL_MS`);
      }
    },
    close: async () => {
      await redis?.quit().catch(() => redis?.disconnect());
    },
  };
}
