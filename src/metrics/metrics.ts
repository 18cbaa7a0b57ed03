/**
 * The gateway's Prometheus metrics, exactly the names of the contract ops/prometheus/METRICS.md
 * (the Grafana dashboard reads them). One registry per createMetrics() call — never the prom-client
 * global one — so that main.ts owns the process's registry and every test gets its own.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QuotaDecision, QuotaObserver } from '../quota/service';
import { NearLimitTracker } from './near-limit';
import { OPENSEARCH_ERROR_KINDS, type OpenSearchErrorKind } from './opensearch-error-kind';

export const QUOTA_DECISIONS = ['allowed', 'rejected', 'fail_open', 'fail_closed'] as const;
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'endpoint' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'endpoint'>;
  readonly opensearchErrors: Counter<'kind'>;
  readonly quotaDecisions: Counter<'decision'>;
  readonly quotaStoreErrors: Counter;
  readonly nearLimit: NearLimitTracker;
  /** Feeds the quota metrics: pass it to the QuotaService. */
  readonly quotaObserver: QuotaObserver;
  countOpenSearchError(kind: OpenSearchErrorKind): void;
}

export interface MetricsOptions {
  /** prom-client's default process metrics, unprefixed (default true). */
  defaultMetrics?: boolean;
  /** The clock of the near-limit gauge's day (tests share the quota service's fake clock). */
  now?: () => number;
}

export function createMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: 'ods_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status.',
    labelNames: ['endpoint', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'ods_http_request_duration_seconds',
    help: "Time from the request's arrival to the end of its response, by route template.",
    labelNames: ['endpoint'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const opensearchErrors = new Counter({
    name: 'ods_opensearch_errors_total',
    help: "Failed calls to OpenSearch, after the client's own retries, by kind.",
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const quotaDecisions = new Counter({
    name: 'ods_quota_decisions_total',
    help: 'Quota checks, by decision (allowed, rejected, fail_open, fail_closed).',
    labelNames: ['decision'] as const,
    registers: [registry],
  });
  const quotaStoreErrors = new Counter({
    name: 'ods_quota_store_errors_total',
    help: 'Failed calls to the quota store (Redis): connection error, timeout, command error.',
    registers: [registry],
  });
  const nearLimit = new NearLimitTracker(options.now);
  new Gauge({
    name: 'ods_quota_identities_near_limit',
    help: 'Identities this process checked in their current window that used at least 80 % of their limit.',
    registers: [registry],
    collect() {
      this.set(nearLimit.count());
    },
  });
  // Known label values start at 0 so that rate() and increase() see the first event.
  for (const kind of OPENSEARCH_ERROR_KINDS) opensearchErrors.inc({ kind }, 0);
  for (const decision of QUOTA_DECISIONS) quotaDecisions.inc({ decision }, 0);

  return {
    registry,
    httpRequests,
    httpDuration,
    opensearchErrors,
    quotaDecisions,
    quotaStoreErrors,
    nearLimit,
    quotaObserver: {
      decision(d: QuotaDecision) {
        quotaDecisions.inc({ decision: d.outcome });
        nearLimit.observe(d.identity, d.day, d.identityUsed, d.identityLimit);
      },
      storeError() {
        quotaStoreErrors.inc();
      },
    },
    countOpenSearchError(kind) {
      opensearchErrors.inc({ kind });
    },
  };
}
