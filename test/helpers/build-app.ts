import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import type { Backend } from '../../src/opensearch/backend';
import type { Pingable } from '../../src/http/routes/health';

/** The real app over the given backend, with silent logs and no dataset cache. */
export function buildApp(backend: Backend, options: { redis?: Pingable } = {}) {
  return createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1024 * 1024 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    ...(options.redis ? { redis: options.redis } : {}),
  });
}
