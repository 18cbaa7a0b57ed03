/**
 * createApp(deps): Express wiring only — no listen, no environment, no clients built here
 * (design.md, habit 7). Tests call it with fakes at the lowest seam; src/main.ts with real clients.
 *
 * Order matters: request id and logs → path tolerance → CORS (answers preflights) → body parsing
 * → routes → 404 → the single error handler.
 */
import express, { type Express } from 'express';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Backend } from './opensearch/backend';
import type { DatasetRegistry } from './datasets/registry';
import { requestContext } from './http/middleware/request-context';
import { normalizePath } from './http/middleware/normalize-path';
import { cors } from './http/middleware/cors';
import { handleErrors, notFound } from './http/middleware/handle-errors';
import { datasetRoutes } from './http/routes/datasets';
import { healthRoutes, type Pingable } from './http/routes/health';

export interface AppDeps {
  config: Pick<Config, 'trustProxy' | 'maxRequestBodyBytes'>;
  logger: Logger;
  backend: Backend;
  registry: DatasetRegistry;
  /** Redis, when configured (readiness). */
  redis?: Pingable;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(normalizePath);
  app.use(cors);
  const limit = deps.config.maxRequestBodyBytes;
  app.use(express.urlencoded({ extended: false, limit, parameterLimit: 10000 }));
  app.use(express.json({ limit, strict: true }));

  app.use(healthRoutes({ backend: deps.backend, redis: deps.redis }));
  app.use(datasetRoutes({ registry: deps.registry, backend: deps.backend }));

  app.use(notFound);
  app.use(handleErrors);
  return app;
}
