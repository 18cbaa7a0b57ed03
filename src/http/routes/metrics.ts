/**
 * `GET /metrics`: the Prometheus text exposition of the process's registry. With METRICS_TOKEN set,
 * the scraper must send `Authorization: Bearer <METRICS_TOKEN>` (prometheus.yml: `authorization`).
 */
import { Router } from 'express';
import { GatewayError } from '../../errors';
import { bearerTokenMatches } from '../../metrics/bearer-token';
import type { GatewayMetrics } from '../../metrics/metrics';

export function metricsRoutes(deps: { metrics: GatewayMetrics; token?: string | undefined }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (deps.token && !bearerTokenMatches(req, deps.token)) {
      throw new GatewayError('unauthorized', 'The metrics endpoint needs Authorization: Bearer <METRICS_TOKEN>', {
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    const body = await deps.metrics.registry.metrics();
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  });
  return router;
}
