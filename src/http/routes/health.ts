/**
 * `/healthz`: the process is alive (no dependency checked, so an OpenSearch outage does not get the
 * gateway restarted). `/readyz`: OpenSearch answers (and Redis, when configured), and the gateway is
 * not shutting down; 503 otherwise, so a load balancer stops sending traffic. Both are cheap and never count against quotas.
 */
import { Router } from 'express';
import type { Backend } from '../../opensearch/backend';
import type { Lifecycle } from '../lifecycle';

export interface Pingable {
  ping(): Promise<boolean>;
}

export function healthRoutes(deps: { backend: Backend; redis?: Pingable | undefined; lifecycle?: Lifecycle }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // Shutting down: not ready, whatever the dependencies say (the load balancer stops sending).
    if (deps.lifecycle?.stopping) {
      res.status(503).setHeader('Retry-After', '5');
      res.json({ status: 'stopping' });
      return;
    }
    const [opensearch, redis] = await Promise.all([
      deps.backend.ping(),
      deps.redis ? deps.redis.ping() : Promise.resolve(undefined),
    ]);
    const ready = opensearch && redis !== false;
    res.status(ready ? 200 : 503);
    if (!ready) res.setHeader('Retry-After', '5');
    res.json({
      status: ready ? 'ready' : 'unavailable',
      opensearch: opensearch ? 'up' : 'down',
      redis: redis === undefined ? 'not configured (in-process store)' : redis ? 'up' : 'down',
    });
  });
  return router;
}
