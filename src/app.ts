/**
 * createApp(deps): Express wiring only — no listen, no environment, no clients built here
 * (docs/architecture.md, habit 7). Tests call it with fakes at the lowest seam; src/main.ts with real clients.
 *
 * Order matters: request id and logs → path tolerance → CORS (answers preflights) → body parsing
 * → health and metrics → front door (pages) → authentication (principal) → admin APIs → quotas
 * → OAuth2 server and routes → 404 → the single error handler.
 */
import express, { type Express } from 'express';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Backend } from './opensearch/backend';
import type { DatasetRegistry } from './datasets/registry';
import { requestContext } from './http/middleware/request-context';
import { normalizePath } from './http/middleware/normalize-path';
import { cors } from './http/middleware/cors';
import { bodyParsers } from './http/middleware/form-body';
import { gated } from './http/route-gate';
import { memoizeQuery } from './http/query-memo';
import { handleErrors, notFound } from './http/middleware/handle-errors';
import { datasetRoutes } from './http/routes/datasets';
import { searchRoutes } from './http/routes/search';
import { analyzeRoutes } from './http/routes/analyze';
import { geoclusterRoutes } from './http/routes/geocluster';
import { geomapRoutes } from './http/routes/geomap';
import { downloadRoutes } from './http/routes/download';
import { exploreV21Routes } from './http/routes/explore-v21';
import { healthRoutes, type Pingable } from './http/routes/health';
import type { QuotaService } from './quota/service';
import type { GatewayMetrics } from './metrics/metrics';
import { httpMetrics, recordOpenSearchErrors } from './http/middleware/metrics';
import { enforceQuota } from './http/middleware/enforce-quota';
import { metricsRoutes } from './http/routes/metrics';
import { adminQuotaRoutes } from './http/routes/admin-quota';
import { inMemoryAuth, type AuthServices } from './auth/services';
import { authenticate } from './http/middleware/authenticate';
import { adminIdentityRoutes } from './http/routes/admin-identity';
import { oauth2Routes } from './http/routes/oauth2';
import { adminPushRoutes, pushBodyParser, pushRoutes } from './http/routes/push';
import { multimediaRoutes } from './http/routes/multimedia';
import type { PushService } from './push/push-service';
import type { PushKeys } from './push/push-keys';
import type { FileStore } from './files/file-store';
import { frontDoorRoutes } from './http/routes/front-door';
import { openApiDocument } from './openapi/document';
import { createProtection, type Protection, type ProtectionConfig } from './protection';
import { closeConnectionsWhenStopping, RUNNING, type Lifecycle } from './http/lifecycle';
import { responseCache, type ResponseCache, type ResponseCacheSettings } from './http/middleware/response-cache';
import { responseCacheMetrics } from './cache/metrics';
import { bumpOnWrite } from './cache/bump-on-write';
import type { Generations } from './cache/generations';

export interface AppDeps {
  config: Pick<Config, 'trustProxy' | 'maxRequestBodyBytes'> & Partial<Pick<Config, 'publicUrl' | 'maxFacetValues' | 'domainId'>>
    & Partial<Pick<Config, 'analyzeMaxBuckets' | 'geoclusterMaxCells' | 'downloadPageSize' | 'downloadPitKeepAliveSeconds'>>
    & ProtectionConfig;
  logger: Logger;
  backend: Backend;
  registry: DatasetRegistry;
  /** Redis, when configured (readiness). */
  redis?: Pingable;
  /** Daily quotas (src/quota). Without it no quota is enforced (tests of other features). */
  quota?: QuotaService;
  /** Prometheus metrics, one registry per process (main.ts) or per test. Without them: no /metrics. */
  metrics?: GatewayMetrics;
  /** ADMIN_TOKEN (unset: no admin API, 404) and METRICS_TOKEN (unset: /metrics open). */
  tokens?: { admin?: string | undefined; metrics?: string | undefined };
  /** Identity, OAuth2 tokens and settings (src/auth). Without it: empty in-memory stores. */
  auth?: AuthServices;
  /** Real-time push (src/push; docs/push-and-multimedia.md). Without it: no push routes (404). */
  push?: { service: PushService; keys: PushKeys; maxBodyBytes?: number };
  /** The file store (multimedia downloads). Without it: no multimedia routes (404). */
  files?: FileStore;
  /** THUMBNAIL_MAX_SIZE (default 2048). */
  thumbnailMaxSize?: number;
  /** Bounds on downloads, script compilations and failed authentications (default: from config, in process). */
  protection?: Protection;
  /** The process's shutdown (main.ts, src/http/lifecycle.ts). Without it: never stopping. */
  lifecycle?: Lifecycle;
  /** The response cache (src/cache; docs/response-cache.md). Without it, or with maxBytes 0: none. */
  responseCache?: ResponseCacheSettings & { generations: Generations };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');
  memoizeQuery(app);

  const life = deps.lifecycle ?? RUNNING;
  // Metrics first: the latency covers the whole pipeline, and every answer is counted.
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(closeConnectionsWhenStopping(life));
  app.use(requestContext(deps.logger));
  app.use(normalizePath);
  app.use(cors);
  // Push bodies (up to PUSH_MAX_BODY_BYTES, 5 MB) are read here, on /api/push/ only, BEFORE the
  // app-wide 1 MB parsers, which then skip the already-read request, and only once the push key of
  // the target is known valid (src/http/routes/push.ts).
  if (deps.push) app.use(pushBodyParser(deps.push.maxBodyBytes, deps.push.keys));
  const limit = deps.config.maxRequestBodyBytes;
  // Forms are parsed in linear time (src/http/middleware/form-body.ts); JSON bodies by express.
  app.use(bodyParsers({ limit, parameterLimit: 10000 }));
  // The response cache (src/cache; docs/response-cache.md): its generation read starts here, its
  // lookup comes after the quota (a cached answer is counted), before the record routes.
  const rc = deps.responseCache;
  let cache: ResponseCache | undefined;
  if (rc && rc.maxBytes > 0) {
    const observer = deps.metrics ? responseCacheMetrics(deps.metrics.registry, () => cache?.stats()) : undefined;
    cache = responseCache({ registry: deps.registry, backend: deps.backend, generations: rc.generations, ...(observer ? { observer } : {}) }, rc);
    app.use(cache.prefetch);
  }

  app.use(gated(healthRoutes({ backend: deps.backend, redis: deps.redis, lifecycle: life })));
  if (deps.metrics) app.use(gated(metricsRoutes({ metrics: deps.metrics, token: deps.tokens?.metrics })));
  // The front door for people (docs/front-door.md): the OpenAPI document, the API console and the
  // explore pages. Static pages that call the API like any client: no credentials, not counted.
  app.use(gated(frontDoorRoutes({ document: openApiDocument() })));
  // Authentication (setPrincipal) belongs above these two: admin principals, and user:<id> quotas.
  // It must let a bearer token it does not know through on /admin/ (that is the ADMIN_TOKEN).
  // After /healthz and /metrics, which take no principal (/metrics has its own bearer METRICS_TOKEN).
  const auth = deps.auth ?? inMemoryAuth(deps.config.publicUrl !== undefined ? { issuer: deps.config.publicUrl } : {});
  const protection = deps.protection ?? createProtection(deps.config);
  app.use(authenticate(auth, protection.authFailures));
  app.use(gated(adminIdentityRoutes(auth.identity, { adminToken: deps.tokens?.admin })));
  // Push key administration: ADMIN_TOKEN or an administrator principal; not counted in quotas.
  if (deps.push) app.use(gated(adminPushRoutes({ keys: deps.push.keys, adminToken: deps.tokens?.admin })));
  if (deps.quota && deps.tokens?.admin) app.use(gated(adminQuotaRoutes({ quota: deps.quota, adminToken: deps.tokens.admin })));
  if (deps.quota) app.use(enforceQuota(deps.quota));
  app.use(gated(oauth2Routes(auth, protection.authFailures)));
  if (cache) app.use(cache.middleware);
  // Before datasetRoutes: /api/datasets/1.0/search would otherwise match /api/datasets/1.0/:datasetid.
  app.use(
    gated(searchRoutes({
      registry: deps.registry,
      backend: deps.backend,
      ...(deps.config.maxFacetValues !== undefined ? { maxFacetValues: deps.config.maxFacetValues } : {}),
      ...(deps.config.publicUrl !== undefined ? { publicUrl: deps.config.publicUrl } : {}),
      ...(deps.config.domainId !== undefined ? { domain: deps.config.domainId } : {}),
    })),
  );
  // Analyze, geocluster/boundingbox, geopreview/geopolygon and download, before datasetRoutes: /api/datasets/1.0/<id>/records/analyze
  // would otherwise be read as the record lookup of a record named "analyze".
  const records = { registry: deps.registry, backend: deps.backend };
  const c = deps.config;
  app.use(gated(analyzeRoutes({ ...records, scripts: protection.scripts, ...(c.analyzeMaxBuckets !== undefined ? { maxBuckets: c.analyzeMaxBuckets } : {}) })));
  app.use(gated(geoclusterRoutes({ ...records, scripts: protection.scripts, ...(c.geoclusterMaxCells !== undefined ? { maxCells: c.geoclusterMaxCells } : {}) })));
  app.use(gated(geomapRoutes({ ...records, scripts: protection.scripts, ...(c.geoclusterMaxCells !== undefined ? { maxCells: c.geoclusterMaxCells } : {}) })));
  app.use(
    gated(downloadRoutes({
      ...records,
      slots: protection.downloads,
      ...(c.downloadPageSize !== undefined ? { pageSize: c.downloadPageSize } : {}),
      ...(c.downloadPitKeepAliveSeconds !== undefined ? { keepAliveSeconds: c.downloadPitKeepAliveSeconds } : {}),
      lifecycle: life,
    })),
  );
  // The Explore API v2.1 (docs/odsql.md): the same datasets, permissions and bounds as v1.
  app.use(
    gated(exploreV21Routes({
      ...records,
      slots: protection.downloads,
      ...(c.downloadPageSize !== undefined ? { pageSize: c.downloadPageSize } : {}),
      ...(c.downloadPitKeepAliveSeconds !== undefined ? { keepAliveSeconds: c.downloadPitKeepAliveSeconds } : {}),
      lifecycle: life,
      ...(c.domainId !== undefined ? { domain: c.domainId } : {}),
    })),
  );
  // Push (after the quota: a push counts like any call) and multimedia downloads, before datasetRoutes.
  if (deps.push) {
    // Acknowledged writes bump the dataset's generation: no cached answer predates them.
    const service = rc ? bumpOnWrite(deps.push.service, rc.generations) : deps.push.service;
    app.use(gated(pushRoutes({ registry: deps.registry, service, keys: deps.push.keys })));
  }
  if (deps.files) {
    app.use(
      gated(multimediaRoutes({
        registry: deps.registry,
        backend: deps.backend,
        files: deps.files,
        ...(deps.thumbnailMaxSize !== undefined ? { maxThumbnailSize: deps.thumbnailMaxSize } : {}),
      })),
    );
  }
  app.use(gated(datasetRoutes({ registry: deps.registry, backend: deps.backend, ...(deps.config.domainId !== undefined ? { domain: deps.config.domainId } : {}) })));

  app.use(notFound);
  if (deps.metrics) app.use(recordOpenSearchErrors(deps.metrics));
  app.use(handleErrors);
  return app;
}
