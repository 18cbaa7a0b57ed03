/**
 * Reading OAuth2 parameters (RFC 6749 §3.1, §3.2): unknown parameters are ignored, a parameter MUST
 * NOT appear more than once, and an empty value counts as absent. Works on a parsed query string or
 * form body (node's querystring gives an array for a repeated key) and on a JSON body.
 */

export type ParamBag = Record<string, unknown>;

export type ParamResult = { ok: true; value: string | undefined } | { ok: false; reason: 'duplicated' | 'not_a_string' };

export function readParam(bag: ParamBag | undefined, name: string): ParamResult {
  const v = bag?.[name];
  if (v === undefined || v === null || v === '') return { ok: true, value: undefined };
  if (Array.isArray(v)) return { ok: false, reason: 'duplicated' };
  if (typeof v !== 'string') return { ok: false, reason: 'not_a_string' };
  return { ok: true, value: v };
}

export function problemOf(name: string, r: ParamResult): string | undefined {
  if (r.ok) return undefined;
  // No quotes: these texts become error_description values (RFC 6749 §5.2 forbids `"`).
  return r.reason === 'duplicated' ? `parameter ${name} is repeated` : `parameter ${name} must be a string`;
}

/** RFC 7636 §4.1: 43 to 128 characters of [A-Za-z0-9-._~]; the same syntax for a challenge. */
export const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export const SUPPORTED_SCOPE = 'all';

/** The error_description of an invalid_scope (authorization and token requests). */
export const UNKNOWN_SCOPE = `unknown scope: the only scope is ${SUPPORTED_SCOPE}`;

/**
 * The scope of a request: `scope` (RFC) and `scopes` (v1) are both accepted, space-separated. Absent
 * means `all`. Returns undefined when a value other than `all` is asked for (invalid_scope).
 */
export function parseScope(...values: (string | undefined)[]): string | undefined {
  const tokens = values.flatMap((v) => (v ?? '').split(/ +/)).filter((t) => t.length > 0);
  if (tokens.some((t) => t !== SUPPORTED_SCOPE)) return undefined;
  return SUPPORTED_SCOPE;
}
