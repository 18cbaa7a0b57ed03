/**
 * OAuth2 errors as RFC 6749 §5.2 defines them: `{"error": code, "error_description": text}`, status
 * 400, except `invalid_client` (401, with `WWW-Authenticate: Basic` when the client authenticated
 * with the Authorization header). These never go through the v1 error handler: the token and
 * revocation endpoints answer them directly (oauth2orize's defaults of 403/501 are wrong, see
 * docs/security.md, OAuth2 authorization server; every status here is explicit).
 */
import { AUTH_REALM } from '../access';

export const TOKEN_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
  'server_error',
  'temporarily_unavailable',
] as const;
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

/**
 * An `error_description` as RFC 6749 §4.1.2.1 and §5.2 allow it: %x20-21 / %x23-5B / %x5D-7E, so no
 * `"`, no `\` and ASCII only (a client may put it in a quoted string or a header). Our texts are
 * written that way; this keeps a slip from reaching a client (`"` → `'`, `\` → `/`, others → `?`).
 */
export function errorDescription(text: string): string {
  return text.replace(/"/g, "'").replace(/\\/g, '/').replace(/[^\x20-\x7E]/g, '?');
}

export class OAuthError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  readonly description: string;

  constructor(
    readonly error: TokenErrorCode,
    description: string,
    options: { status?: number; basicChallenge?: boolean } = {},
  ) {
    super(description);
    this.description = errorDescription(description);
    this.name = 'OAuthError';
    this.status = options.status ?? (error === 'invalid_client' ? 401 : error === 'server_error' ? 500 : error === 'temporarily_unavailable' ? 503 : 400);
    this.headers = options.basicChallenge ? { 'WWW-Authenticate': `Basic realm="${AUTH_REALM}", charset="UTF-8"` } : {};
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const invalidRequest = (description: string) => new OAuthError('invalid_request', description);
export const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
