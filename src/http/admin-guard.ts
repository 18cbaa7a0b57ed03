/**
 * The one guard of every admin API (identity, quota, push): the operator token
 * (`Authorization: Bearer <ADMIN_TOKEN>`) or a user with `admin: true` passes; an anonymous caller
 * (a wrong token included) gets 401 with the gateway's challenge, any other user 403. Admin answers are
 * never stored by caches (`Cache-Control: no-store`): they hold secrets, usage and settings.
 */
import type { Request, RequestHandler, Response } from 'express';
import { authenticationRequired } from '../auth/access';
import { principalOf } from '../auth/principal';
import { GatewayError } from '../errors';
import { bearerTokenMatches } from '../metrics/bearer-token';

/** Throws 401/403 unless the caller is the operator or an administrator. */
export function requireAdmin(req: Request, adminToken: string | undefined): void {
  if (adminToken !== undefined && bearerTokenMatches(req, adminToken)) return;
  const p = principalOf(req);
  if (p.kind === 'anonymous') throw authenticationRequired();
  if (!p.admin) throw new GatewayError('forbidden', 'This API is for administrators');
}

/** Middleware: the guard, then `Cache-Control: no-store` on whatever the admin route answers. */
export function adminOnly(adminToken: string | undefined): RequestHandler {
  return (req: Request, res: Response, next) => {
    requireAdmin(req, adminToken);
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
