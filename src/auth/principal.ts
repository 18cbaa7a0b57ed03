/**
 * Who is calling. Resolved once per request by the authentication middleware (API key or OAuth2
 * bearer token, else anonymous) and read by quotas, permissions and the query compiler (`#attr`).
 */
import type { Request } from 'express';

export interface AnonymousPrincipal {
  kind: 'anonymous';
  /** Client IP as Express computes it under the configured `trust proxy`. */
  ip: string;
}

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  /** Groups the user belongs to (permissions are granted to users and groups). */
  groups: string[];
  /** Attributes for `#attr(field, name)` in record filters and queries. */
  attributes: Record<string, string | string[]>;
  /** How the credential came: the same user has ONE quota bucket whichever way. */
  via: 'apikey' | 'bearer';
  /** The API key id or OAuth2 grant id, for audit logs (never the secret). */
  credentialId: string;
  /** True for administrators (admin API). */
  admin: boolean;
}

export type Principal = AnonymousPrincipal | UserPrincipal;

const PRINCIPAL = Symbol('principal');

export function setPrincipal(req: Request, p: Principal): void {
  (req as unknown as { [PRINCIPAL]?: Principal })[PRINCIPAL] = p;
}

/** The caller; anonymous (keyed by IP) until authentication says otherwise. */
export function principalOf(req: Request): Principal {
  return (req as unknown as { [PRINCIPAL]?: Principal })[PRINCIPAL] ?? { kind: 'anonymous', ip: req.ip ?? 'unknown' };
}

/** The quota bucket of a caller: one per user, one per anonymous IP. */
export function quotaIdentity(p: Principal): string {
  return p.kind === 'user' ? `user:${p.userId}` : `ip:${p.ip}`;
}
