/**
 * The quota admin API (mounted only when ADMIN_TOKEN is set; otherwise these paths are unknown: 404).
 * A request needs `Authorization: Bearer <ADMIN_TOKEN>` or an administrator principal (src/http/admin-guard.ts).
 *
 *   GET    /admin/quota/usage?identity=user:alice   calls today, limit, remaining, override
 *   GET    /admin/quota/top?n=10[&day=YYYY-MM-DD]    heaviest identities (today, or yesterday)
 *   GET    /admin/quota/domain                       the domain-wide counter of today
 *   GET    /admin/quota/overrides                    every per-identity limit
 *   PUT    /admin/quota/overrides/<identity>  {limit} set an identity's daily limit
 *   DELETE /admin/quota/overrides/<identity>         back to the default of its kind
 *
 * Admin calls never count against a quota.
 */
import { Router, type Request } from 'express';
import { badParameter, missingParameter } from '../../errors';
import { adminOnly } from '../admin-guard';
import { parseDay } from '../../quota/clock';
import { isQuotaIdentity, type QuotaService } from '../../quota/service';
import { QuotaStoreError } from '../../quota/store';
import { quotaStoreUnavailable } from '../../quota/errors';

export const MAX_OVERRIDE_LIMIT = 1_000_000_000;

function single(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badParameter(name, 'give it once');
  return v;
}

function identityParam(raw: string | undefined, name = 'identity'): string {
  if (raw === undefined || raw === '') throw missingParameter(name, 'user:<id> or ip:<address>');
  if (!isQuotaIdentity(raw)) throw badParameter(name, 'expected user:<id> or ip:<address>');
  return raw;
}

function limitParam(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') throw missingParameter('limit', 'a daily number of calls');
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_OVERRIDE_LIMIT) {
    throw badParameter('limit', `expected an integer between 0 and ${MAX_OVERRIDE_LIMIT}`);
  }
  return n;
}

/** A store failure answers 503 (never 500): the admin may retry when Redis is back. */
async function storeCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof QuotaStoreError) throw quotaStoreUnavailable();
    throw e;
  }
}

export function adminQuotaRoutes(deps: { quota: QuotaService; adminToken: string }): Router {
  const router = Router();

  router.use('/admin/quota', adminOnly(deps.adminToken));

  router.get('/admin/quota/usage', async (req, res) => {
    const identity = identityParam(single(req, 'identity'));
    res.json(await storeCall(() => deps.quota.usage(identity)));
  });

  router.get('/admin/quota/top', async (req, res) => {
    const rawN = single(req, 'n');
    const n = rawN === undefined ? 10 : /^\d+$/.test(rawN) ? Number(rawN) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw badParameter('n', 'expected an integer between 1 and 1000');
    const rawDay = single(req, 'day');
    const day = rawDay === undefined ? undefined : parseDay(rawDay);
    if (rawDay !== undefined && day === undefined) throw badParameter('day', 'expected a date YYYY-MM-DD');
    res.json(await storeCall(() => deps.quota.top(n, day)));
  });

  router.get('/admin/quota/domain', async (_req, res) => {
    res.json(await storeCall(() => deps.quota.domainUsage()));
  });

  router.get('/admin/quota/overrides', async (_req, res) => {
    res.json({ overrides: await storeCall(() => deps.quota.overrides()) });
  });

  router.put('/admin/quota/overrides/:identity', async (req, res) => {
    const identity = identityParam(String(req.params.identity));
    const limit = limitParam((req.body as Record<string, unknown> | undefined)?.limit);
    await storeCall(() => deps.quota.setOverride(identity, limit));
    req.log?.info({ identity, limit }, 'quota override set');
    res.json({ identity, limit });
  });

  router.delete('/admin/quota/overrides/:identity', async (req, res) => {
    const identity = identityParam(String(req.params.identity));
    await storeCall(() => deps.quota.setOverride(identity, undefined));
    req.log?.info({ identity }, 'quota override removed');
    res.json({ identity, limit: null });
  });

  return router;
}
