/**
 * `Authorization: Bearer <token>` against an operator token (METRICS_TOKEN, ADMIN_TOKEN), compared in
 * constant time (both sides hashed first, so lengths do not leak either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function bearerTokenMatches(req: Request, expected: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!m) return false;
  return timingSafeEqual(digest(m[1]!), digest(expected));
}
