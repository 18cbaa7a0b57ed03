/**
 * The token endpoint (`POST /oauth2/token/`, RFC 6749 §4.1.3, §6; RFC 7636 §4.5) and the revocation
 * endpoint (`POST /oauth2/revoke/`, RFC 7009). Express-free: the route passes the headers, body and
 * query, and writes back what these return.
 *
 * Checks come in a fixed order: client authentication, then the syntax of the parameters (nothing
 * is consumed for a malformed request), then the code or refresh token, consumed atomically, then its
 * bindings (client, redirect URI, PKCE verifier, scope). Whether redirect_uri is required is one of
 * those bindings: only the code knows if its authorization request had one.
 */
import { createHash } from 'node:crypto';
import type { Identity } from '../identity';
import { randomToken, safeEqual, sha256 } from '../secrets';
import type { GrantData, IssueRequest, TokenStore } from '../token-store';
import { authenticateClient, readClientCredentials } from './client-auth';
import { OAuthError, invalidGrant, invalidRequest } from './oauth-error';
import { PKCE_VALUE, UNKNOWN_SCOPE, parseScope, problemOf, readParam, type ParamBag } from './params';

export interface TokenSettings {
  codeTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface TokenServices {
  identity: Identity;
  tokens: TokenStore;
  settings: TokenSettings;
}

export interface EndpointRequest {
  headers: { authorization?: string | undefined };
  body: ParamBag | undefined;
  query: ParamBag | undefined;
}

/** The v1 token response (docs/v1-api.md, Authentication), `state` echoed when the request had one. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  state?: string;
  scope: string;
  refresh_token: string;
}

function param(body: ParamBag | undefined, name: string): string | undefined {
  const r = readParam(body, name);
  const problem = problemOf(name, r);
  if (problem) throw invalidRequest(problem);
  return r.ok ? r.value : undefined;
}

/** RFC 7636 §4.6. */
export function verifierMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  const computed = method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  return safeEqual(computed, challenge);
}

async function issueFor(services: TokenServices, grant: GrantData, rotateFrom?: string): Promise<{ access: string; refresh: string } | 'used' | 'missing'> {
  const access = randomToken(30);
  const refresh = randomToken(30);
  const req: IssueRequest = {
    grant,
    accessHash: sha256(access),
    accessTtlSeconds: services.settings.accessTokenTtlSeconds,
    refreshHash: sha256(refresh),
    refreshTtlSeconds: services.settings.refreshTokenTtlSeconds,
  };
  if (rotateFrom === undefined) return (await services.tokens.issue(req)) ? { access, refresh } : 'missing';
  const r = await services.tokens.rotateRefresh(rotateFrom, req);
  return r.status === 'ok' ? { access, refresh } : r.status;
}

const revokeGrant = (services: TokenServices, grantId: string) => services.tokens.revokeGrant(grantId, services.settings.refreshTokenTtlSeconds);

export async function tokenEndpoint(services: TokenServices, req: EndpointRequest): Promise<TokenResponse> {
  const client = await authenticateClient(services.identity, readClientCredentials(req.headers, req.body, req.query));
  const grantType = param(req.body, 'grant_type');
  if (grantType === undefined) throw invalidRequest('grant_type is missing');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw new OAuthError('unsupported_grant_type', 'supported grant types: authorization_code, refresh_token');
  }
  const state = param(req.body, 'state');
  const requestedScope = (() => {
    const scope = param(req.body, 'scope');
    const scopes = param(req.body, 'scopes');
    if (scope === undefined && scopes === undefined) return undefined;
    const s = parseScope(scope, scopes);
    if (s === undefined) throw new OAuthError('invalid_scope', UNKNOWN_SCOPE);
    return s;
  })();
  const respond = (tokens: { access: string; refresh: string }, scope: string): TokenResponse => ({
    access_token: tokens.access,
    expires_in: services.settings.accessTokenTtlSeconds,
    token_type: 'Bearer',
    ...(state !== undefined ? { state } : {}),
    scope,
    refresh_token: tokens.refresh,
  });

  if (grantType === 'authorization_code') {
    const code = param(req.body, 'code');
    const redirectUri = param(req.body, 'redirect_uri');
    const verifier = param(req.body, 'code_verifier');
    if (code === undefined) throw invalidRequest('code is missing');
    if (verifier !== undefined && !PKCE_VALUE.test(verifier)) throw invalidRequest('code_verifier must have 43 to 128 characters [A-Za-z0-9-._~]');

    const consumed = await services.tokens.consumeCode(sha256(code.slice(0, 256)), services.settings.codeTtlSeconds);
    if (consumed.status === 'used') {
      // RFC 6749 §4.1.2: a code used twice may have been stolen; what it gave is revoked.
      await revokeGrant(services, consumed.grantId);
      throw invalidGrant('the authorization code was already used; the tokens issued from it are revoked');
    }
    if (consumed.status === 'missing') throw invalidGrant('the authorization code is invalid or expired');
    const data = consumed.data;
    if (data.clientId !== client.clientId) throw invalidGrant('the authorization code was issued to another client');
    // §4.1.3: redirect_uri is required, and identical, when the authorization request had one. When
    // it had none (a client with one registered URI), a redirect_uri sent must still be that URI.
    if (redirectUri === undefined && data.redirectUriOmitted !== true) throw invalidRequest('redirect_uri is missing');
    if (redirectUri !== undefined && data.redirectUri !== redirectUri) throw invalidGrant('redirect_uri does not match the one of the authorization request');
    if (data.codeChallenge !== undefined) {
      if (verifier === undefined) throw invalidGrant('code_verifier is missing (the authorization request had a code_challenge)');
      if (!verifierMatches(verifier, data.codeChallenge, data.codeChallengeMethod ?? 'plain')) throw invalidGrant('code_verifier does not match the code_challenge');
    } else if (verifier !== undefined) {
      throw invalidGrant('code_verifier sent, but the authorization request had no code_challenge');
    }
    if (requestedScope !== undefined && requestedScope !== data.scope) throw new OAuthError('invalid_scope', 'the scope must match the granted one');
    if (!(await services.identity.getUser(data.username))) throw invalidGrant('the user of this authorization code no longer exists');
    const issued = await issueFor(services, { grantId: data.grantId, clientId: data.clientId, username: data.username, scope: data.scope });
    if (typeof issued === 'string') throw invalidGrant('the authorization code was already used; the tokens issued from it are revoked');
    return respond(issued, data.scope);
  }

  // grant_type=refresh_token
  {
    const refresh = param(req.body, 'refresh_token');
    if (refresh === undefined) throw invalidRequest('refresh_token is missing');
    const hash = sha256(refresh.slice(0, 256));
    const peeked = await services.tokens.peekRefresh(hash);
    if (peeked.status === 'used') {
      // A refresh token is single-use (v1; RFC 9700 §4.14.2): a replay means it leaked. Revoke the grant.
      await revokeGrant(services, peeked.grantId);
      throw invalidGrant('the refresh token was already used; the grant is revoked');
    }
    if (peeked.status === 'missing') throw invalidGrant('the refresh token is invalid, expired or revoked');
    const grant = peeked.data;
    if (grant.clientId !== client.clientId) throw invalidGrant('the refresh token was issued to another client');
    if (requestedScope !== undefined && requestedScope !== grant.scope) throw new OAuthError('invalid_scope', 'a refresh cannot widen the scope');
    if (!(await services.identity.getUser(grant.username))) throw invalidGrant('the user of this grant no longer exists');
    const issued = await issueFor(services, grant, hash);
    if (issued === 'used') {
      // Lost a race against another use of the same refresh token: one of the two is a replay.
      await revokeGrant(services, grant.grantId);
      throw invalidGrant('the refresh token was already used; the grant is revoked');
    }
    if (issued === 'missing') throw invalidGrant('the refresh token is invalid, expired or revoked');
    return respond(issued, grant.scope);
  }
}

/**
 * RFC 7009: revokes an access token (that token) or a refresh token (its whole grant, with the access
 * tokens issued from it). Always 200 once the client is authenticated, also for unknown tokens and
 * for tokens of other clients (which are left alone: no oracle on other clients' tokens).
 */
export async function revocationEndpoint(services: TokenServices, req: EndpointRequest): Promise<void> {
  const client = await authenticateClient(services.identity, readClientCredentials(req.headers, req.body, req.query));
  const token = param(req.body, 'token');
  param(req.body, 'token_type_hint'); // only a hint (§2.1): both kinds are looked up whatever it says
  if (token === undefined) throw invalidRequest('token is missing');
  const hash = sha256(token.slice(0, 256));
  const refresh = await services.tokens.peekRefresh(hash);
  if (refresh.status === 'ok') {
    if (refresh.data.clientId === client.clientId) await revokeGrant(services, refresh.data.grantId);
    return;
  }
  const access = await services.tokens.getAccessToken(hash);
  if (access && access.clientId === client.clientId) await services.tokens.revokeAccessToken(hash);
}
