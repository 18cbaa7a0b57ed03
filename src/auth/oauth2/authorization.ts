/**
 * The authorization request (`GET|POST /oauth2/authorize/`, RFC 6749 §4.1.1, RFC 7636 §4.3) and the
 * code it ends with (§4.1.2).
 *
 * Validation order matters (§4.1.2.1): while the client or the redirect URI is in doubt, the answer
 * is an error PAGE and never a redirect (an open redirector otherwise); once both are known good,
 * every other problem is reported to the client by redirecting with `error` and `state`.
 */
import type { Identity } from '../identity';
import type { OAuthClientRecord } from '../identity-store';
import { randomToken, sha256 } from '../secrets';
import type { TokenStore } from '../token-store';
import { errorDescription } from './oauth-error';
import { PKCE_VALUE, UNKNOWN_SCOPE, parseScope, problemOf, readParam, type ParamBag } from './params';

export interface AuthorizationRequest {
  client: OAuthClientRecord;
  /** Where the answer goes: the request's redirect_uri, or the client's only registered one. */
  redirectUri: string;
  /** False when the request left redirect_uri out (then the token request may too, §4.1.3). */
  redirectUriGiven: boolean;
  scope: string;
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
}

export type AuthorizationCheck =
  | { kind: 'ok'; request: AuthorizationRequest }
  /** Shown as an HTML page with status 400: the client or redirect URI cannot be trusted. */
  | { kind: 'page'; error: string; description: string }
  /** Sent to the client: 302 to the redirect URI with error and state. */
  | { kind: 'redirect'; location: string };

/** `redirect_uri` + the parameters, keeping the URI exactly as registered (a `?` or `&` is added). */
export function redirectTo(redirectUri: string, params: Record<string, string | undefined>): string {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${qs}`;
}

/** Checks an authorization request (query string of the GET, or the form of the POST). */
export async function checkAuthorizationRequest(bag: ParamBag, identity: Identity): Promise<AuthorizationCheck> {
  const page = (error: string, description: string): AuthorizationCheck => ({ kind: 'page', error, description });

  const clientId = readParam(bag, 'client_id');
  if (!clientId.ok) return page('invalid_request', problemOf('client_id', clientId)!);
  if (clientId.value === undefined) return page('invalid_request', 'client_id is missing');
  const client = await identity.getClient(clientId.value);
  if (!client) return page('invalid_client', 'unknown client_id');

  const redirect = readParam(bag, 'redirect_uri');
  if (!redirect.ok) return page('invalid_request', problemOf('redirect_uri', redirect)!);
  // §3.1.2.3: a client with a single registered redirect URI may leave redirect_uri out.
  if (redirect.value === undefined && client.redirectUris.length !== 1) {
    return page('invalid_request', 'redirect_uri is missing: the client has several registered');
  }
  // Exact string comparison (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3): no normalisation of case, port,
  // trailing slash or query.
  if (redirect.value !== undefined && !client.redirectUris.includes(redirect.value)) {
    return page('invalid_redirect_uri', 'redirect_uri is not registered for this client');
  }
  const redirectUri = redirect.value ?? client.redirectUris[0]!;

  const stateParam = readParam(bag, 'state');
  const state = stateParam.ok ? stateParam.value : undefined;
  const fail = (error: string, description: string): AuthorizationCheck => ({
    kind: 'redirect',
    location: redirectTo(redirectUri, { error, error_description: errorDescription(description), state }),
  });
  if (!stateParam.ok) return fail('invalid_request', problemOf('state', stateParam)!);

  const read: Record<string, string | undefined> = {};
  for (const name of ['response_type', 'scope', 'scopes', 'code_challenge', 'code_challenge_method']) {
    const r = readParam(bag, name);
    if (!r.ok) return fail('invalid_request', problemOf(name, r)!);
    read[name] = r.value;
  }

  if (read.response_type === undefined) return fail('invalid_request', 'response_type is missing');
  if (read.response_type !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');

  const scope = parseScope(read.scope, read.scopes);
  if (scope === undefined) return fail('invalid_scope', UNKNOWN_SCOPE);

  const challenge = read.code_challenge;
  const method = read.code_challenge_method;
  if (challenge === undefined && method !== undefined) return fail('invalid_request', 'code_challenge_method without code_challenge');
  // S256 only (RFC 9700 §2.1.1): a `plain` challenge is the verifier itself, so whoever sees the
  // authorization request can redeem the code. A challenge without a method means plain (RFC 7636).
  if (challenge !== undefined && method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256 (plain is not accepted)');
  if (challenge !== undefined && !PKCE_VALUE.test(challenge)) {
    return fail('invalid_request', 'code_challenge must have 43 to 128 characters [A-Za-z0-9-._~]');
  }
  if (client.type === 'public' && challenge === undefined) return fail('invalid_request', 'PKCE (code_challenge) is required for public clients');

  return {
    kind: 'ok',
    request: {
      client,
      redirectUri,
      redirectUriGiven: redirect.value !== undefined,
      scope,
      state,
      codeChallenge: challenge,
      codeChallengeMethod: challenge === undefined ? undefined : 'S256',
    },
  };
}

/** The parameters of a checked request, to carry it through the login and consent forms. */
export function requestParams(r: AuthorizationRequest): Record<string, string> {
  // redirect_uri only when the request had one: the code records whether the client sent it.
  const out: Record<string, string> = { client_id: r.client.clientId, response_type: 'code', scope: r.scope };
  if (r.redirectUriGiven) out.redirect_uri = r.redirectUri;
  if (r.state !== undefined) out.state = r.state;
  if (r.codeChallenge !== undefined) out.code_challenge = r.codeChallenge;
  if (r.codeChallengeMethod !== undefined) out.code_challenge_method = r.codeChallengeMethod;
  return out;
}

/** Issues a 30-character code for the user's consent; the redirect location with `code` and `state`. */
export async function issueCode(r: AuthorizationRequest, username: string, tokens: TokenStore, ttlSeconds: number): Promise<string> {
  const code = randomToken(30);
  await tokens.putCode(
    sha256(code),
    {
      grantId: randomToken(24),
      clientId: r.client.clientId,
      redirectUri: r.redirectUri,
      ...(r.redirectUriGiven ? {} : { redirectUriOmitted: true as const }),
      username,
      scope: r.scope,
      ...(r.codeChallenge !== undefined ? { codeChallenge: r.codeChallenge, codeChallengeMethod: r.codeChallengeMethod ?? 'plain' } : {}),
    },
    ttlSeconds,
  );
  return redirectTo(r.redirectUri, { code, state: r.state });
}

/** The location for a refused consent (§4.1.2.1 access_denied). */
export const deniedLocation = (r: AuthorizationRequest): string =>
  redirectTo(r.redirectUri, { error: 'access_denied', error_description: 'the user denied the request', state: r.state });
