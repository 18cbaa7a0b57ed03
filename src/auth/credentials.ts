/**
 * Which credentials a request presents, before any is checked:
 *
 *   API key       `Authorization: Apikey <key>`, `apikey=` in the query string or the body (docs/v1-api.md, Authentication)
 *   OAuth2 bearer `Authorization: Bearer <token>`, `access_token=` in the query string or the form body
 *                 (docs/v1-api.md, Authentication; RFC 6750 §2)
 *
 * Other Authorization schemes (Basic, Digest...) are not ours and are ignored. Presenting an API key
 * and a bearer token together is ambiguous (400), as is one kind presented twice (RFC 6750 §2: one
 * transmission method per request; passport-http-bearer answers 400 for it too).
 */
import type { Request } from 'express';

export type CredentialSource = 'header' | 'query' | 'body';

export interface PresentedCredentials {
  apikey: CredentialSource[];
  bearer: CredentialSource[];
}

const APIKEY_SCHEME = /^Apikey(?: |$)/i;
const BEARER_SCHEME = /^Bearer(?: |$)/i;

function present(bag: unknown, name: string): boolean {
  if (!bag || typeof bag !== 'object') return false;
  const v = (bag as Record<string, unknown>)[name];
  return v !== undefined && v !== null && v !== '';
}

/** True when a parameter credential was sent more than once (an array) or is not a string. */
export function repeatedParameter(req: Request, name: 'apikey' | 'access_token'): boolean {
  return [req.query, req.body].some((bag: unknown) => present(bag, name) && typeof (bag as Record<string, unknown>)[name] !== 'string');
}

export function presentedCredentials(req: Request): PresentedCredentials {
  const out: PresentedCredentials = { apikey: [], bearer: [] };
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    if (APIKEY_SCHEME.test(auth)) out.apikey.push('header');
    else if (BEARER_SCHEME.test(auth)) out.bearer.push('header');
  }
  if (present(req.query, 'apikey')) out.apikey.push('query');
  if (present(req.body, 'apikey')) out.apikey.push('body');
  if (present(req.query, 'access_token')) out.bearer.push('query');
  if (present(req.body, 'access_token')) out.bearer.push('body');
  return out;
}

/**
 * The API key of a request that presents exactly one: a string, or 'malformed' (a header with other
 * than two parts, a repeated or non-string parameter).
 */
export function apiKeyOf(req: Request): string | 'malformed' | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && APIKEY_SCHEME.test(auth)) {
    const parts = auth.split(' ');
    return parts.length === 2 && parts[1] !== '' ? parts[1] : 'malformed';
  }
  for (const bag of [req.query, req.body] as unknown[]) {
    if (present(bag, 'apikey')) {
      const v = (bag as Record<string, unknown>).apikey;
      return typeof v === 'string' ? v : 'malformed';
    }
  }
  return undefined;
}
