/**
 * The daily quota of every API call (src/quota/service.ts), mounted after authentication so that a
 * user is counted as `user:<id>` and an anonymous caller as `ip:<address>` (the address Express
 * computes under TRUST_PROXY). It sets X-RateLimit-Limit / -Remaining / -Reset before anything else
 * answers, so every response of a counted call carries them — 2xx, 4xx, 5xx and the 429 itself.
 *
 * Not counted: CORS preflights (answered earlier by the cors middleware; skipped here too), the
 * probes `/healthz` and `/readyz`, `/metrics`, and the admin API.
 */
import type { Request, RequestHandler } from 'express';
import { principalOf, quotaIdentity } from '../../auth/principal';
import { quotaExceeded, quotaStoreUnavailable } from '../../quota/errors';
import type { QuotaService } from '../../quota/service';

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

export function isQuotaExempt(req: Request): boolean {
  return req.method === 'OPTIONS' || EXEMPT.has(req.path) || req.path === '/admin' || req.path.startsWith('/admin/');
}

export function enforceQuota(quota: QuotaService): RequestHandler {
  return async (req, res, next) => {
    if (isQuotaExempt(req)) {
      next();
      return;
    }
    const principal = principalOf(req);
    const decision = await quota.check(quotaIdentity(principal), principal.kind === 'user' ? 'user' : 'anonymous');
    res.setHeader('X-RateLimit-Limit', String(decision.headers.limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, decision.headers.remaining)));
    res.setHeader('X-RateLimit-Reset', String(decision.headers.reset));
    if (decision.outcome === 'rejected' && decision.rejection) throw quotaExceeded(decision.rejection);
    if (decision.outcome === 'fail_closed') throw quotaStoreUnavailable();
    next();
  };
}
