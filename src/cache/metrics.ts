/** The response cache's Prometheus metrics (ops/prometheus/METRICS.md), in the process's registry. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LruStats } from './byte-lru';

/** What the response cache (src/http/middleware/response-cache.ts) reports. */
export interface ResponseCacheObserver {
  result(r: 'hit' | 'miss' | 'bypass'): void;
  evicted(n: number): void;
}

export function responseCacheMetrics(registry: Registry, stats: () => LruStats | undefined): ResponseCacheObserver {
  const requests = new Counter({
    name: 'ods_response_cache_requests_total',
    help: 'Cacheable requests, by result: hit (answered from the cache), miss (computed, then stored if it could be), bypass (not cacheable after all: error, store unreachable).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const evictions = new Counter({
    name: 'ods_response_cache_evictions_total',
    help: 'Entries evicted from the response cache to stay within RESPONSE_CACHE_MAX_BYTES.',
    registers: [registry],
  });
  new Gauge({
    name: 'ods_response_cache_bytes',
    help: 'Bytes held by the response cache (bodies, keys and headers, estimated).',
    registers: [registry],
    collect() {
      this.set(stats()?.bytes ?? 0);
    },
  });
  new Gauge({
    name: 'ods_response_cache_entries',
    help: 'Entries held by the response cache.',
    registers: [registry],
    collect() {
      this.set(stats()?.entries ?? 0);
    },
  });
  for (const result of ['hit', 'miss', 'bypass'] as const) requests.inc({ result }, 0);
  return {
    result: (r) => requests.inc({ result: r }),
    evicted: (n) => evictions.inc(n),
  };
}
