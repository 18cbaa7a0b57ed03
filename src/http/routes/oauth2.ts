/**
 * The OAuth2 authorization server (docs/v1-api.md, Authentication; RFC 6749, 6750, 7009, 7636, 8414):
 *
 *   GET|POST /oauth2/authorize/   login and consent pages (server-rendered, CSRF-protected), then
 *                                 302 to the client with `code` and `state`
 *   POST     /oauth2/token/       authorization_code and refresh_token grants (other methods: 405)
 *   POST     /oauth2/revoke/      RFC 7009 revocation (200 `{}`)
 *   GET      /.well-known/oauth-authorization-server[/<PUBLIC_URL path>]   RFC 8414 metadata
 *                                 (issuer = PUBLIC_URL)
 *
 * Token and revocation answers are RFC 6749 §5.2 JSON (`{"error", "error_description"}`), not the v1
 * error body, always with `Cache-Control: no-store` and `Pragma: no-cache`.
 */
import { Router, type Request, type Response } from 'express';
import type { AuthServices } from '../../auth/services';
import { checkAuthorizationRequest, deniedLocation, issueCode, requestParams, type AuthorizationRequest } from '../../auth/oauth2/authorization';
import { OAuthError } from '../../auth/oauth2/oauth-error';
import { consentPage, errorPage, loginPage } from '../../auth/oauth2/pages';
import { sessions, type Session } from '../../auth/oauth2/session';
import { revocationEndpoint, tokenEndpoint, type EndpointRequest } from '../../auth/oauth2/token';
import { isGatewayError } from '../../errors';
import type { FailedAuthLimiter } from '../../protection';

const ip = (req: Request): string => req.ip ?? 'unknown';

/** No script, no framing (clickjacking of the consent page), no referrer leaking the code. */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

function sendPage(res: Response, status: number, html: string): void {
  for (const [k, v] of Object.entries(PAGE_HEADERS)) res.setHeader(k, v);
  res.status(status).type('text/html; charset=utf-8').send(html);
}

function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
}

const WELL_KNOWN = '/.well-known/oauth-authorization-server';

/** RFC 8414 metadata for an issuer (PUBLIC_URL). */
export function authorizationServerMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize/`,
    token_endpoint: `${issuer}/oauth2/token/`,
    revocation_endpoint: `${issuer}/oauth2/revoke/`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    // `none`: public clients identify with client_id alone and must use PKCE.
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    // S256 only: plain (RFC 7636's default when no method is sent) is refused (RFC 9700 §2.1.1).
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['all'],
  };
}

export function oauth2Routes(auth: AuthServices, failures?: FailedAuthLimiter): Router {
  const router = Router();
  const { identity, tokens, settings } = auth;
  const issuer = settings.issuer.replace(/\/+$/, '');
  const basePath = new URL(issuer).pathname.replace(/\/+$/, '');
  const action = `${basePath}/oauth2/authorize/`;
  const sess = sessions(tokens, { ttlSeconds: settings.sessionTtlSeconds, secure: issuer.startsWith('https:'), path: `${basePath}/oauth2` });

  const formOptions = (r: AuthorizationRequest, session: Session) => ({
    action,
    csrf: session.data.csrf,
    params: requestParams(r),
    clientName: r.client.name,
  });
  const showLoginOrConsent = (res: Response, r: AuthorizationRequest, session: Session) => {
    const username = session.data.username;
    if (username === undefined) return sendPage(res, 200, loginPage(formOptions(r, session)));
    sendPage(res, 200, consentPage({ ...formOptions(r, session), username, redirectUri: r.redirectUri }));
  };

  /** Checks the request; answers the error page or redirect itself and returns undefined then. */
  const checked = async (bag: Record<string, unknown>, res: Response): Promise<AuthorizationRequest | undefined> => {
    const check = await checkAuthorizationRequest(bag, identity);
    if (check.kind === 'page') {
      sendPage(res, 400, errorPage(check.error, check.description));
      return undefined;
    }
    if (check.kind === 'redirect') {
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, check.location);
      return undefined;
    }
    return check.request;
  };

  router.get('/oauth2/authorize', async (req: Request, res: Response) => {
    const r = await checked(req.query as Record<string, unknown>, res);
    if (!r) return;
    const session = (await sess.load(req)) ?? (await sess.start(res, {}));
    showLoginOrConsent(res, r, session);
  });

  router.post('/oauth2/authorize', async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = await sess.load(req);
    // CSRF first: a cross-site POST learns nothing, not even whether its parameters were valid.
    if (!sess.csrfMatches(session, body.csrf_token)) {
      return sendPage(res, 403, errorPage('invalid_request', 'the form expired or did not come from this site; go back to the application and start again'));
    }
    const r = await checked(body, res);
    if (!r || !session) return;
    switch (body.action) {
      case 'login': {
        const username = typeof body.username === 'string' ? body.username : '';
        const password = typeof body.password === 'string' ? body.password : '';
        // Password guessing: an IP past AUTH_FAILURE_LIMIT failures is not even checked.
        const wait = (await failures?.blockedFor(ip(req))) ?? 0;
        if (wait > 0) {
          res.setHeader('Retry-After', String(wait));
          const minutes = Math.ceil(wait / 60);
          return sendPage(res, 429, loginPage({ ...formOptions(r, session), error: `Too many failed sign-ins from your network: try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`, username }));
        }
        const user = await identity.checkPassword(username, password);
        if (!user) {
          await failures?.fail(ip(req));
          req.log?.warn({ username: username.slice(0, 100) }, 'oauth2 login failed');
          return sendPage(res, 401, loginPage({ ...formOptions(r, session), error: 'Invalid username or password.', username }));
        }
        await sess.start(res, { username: user.username }, session);
        // Post/redirect/get: the consent page is a GET of the same request.
        res.setHeader('Cache-Control', 'no-store');
        return res.redirect(303, `${action}?${new URLSearchParams(requestParams(r)).toString()}`);
      }
      case 'approve': {
        if (session.data.username === undefined) return showLoginOrConsent(res, r, session);
        const location = await issueCode(r, session.data.username, tokens, settings.codeTtlSeconds);
        res.setHeader('Cache-Control', 'no-store');
        return res.redirect(302, location);
      }
      case 'deny':
        res.setHeader('Cache-Control', 'no-store');
        return res.redirect(302, deniedLocation(r));
      default:
        return sendPage(res, 400, errorPage('invalid_request', 'unknown form action'));
    }
  });

  const endpointRequest = (req: Request): EndpointRequest => ({
    headers: { authorization: req.headers.authorization },
    body: req.body as Record<string, unknown> | undefined,
    query: req.query as Record<string, unknown>,
  });

  /** RFC 6749 §5.2 answers for every failure, including a store outage (never the v1 error body). */
  const oauthFailure = (req: Request, res: Response, e: unknown) => {
    let err: OAuthError;
    if (e instanceof OAuthError) err = e;
    else if (isGatewayError(e) && e.status === 503) {
      err = new OAuthError('temporarily_unavailable', 'the token store is unavailable, retry later');
      res.setHeader('Retry-After', e.headers['Retry-After'] ?? '5');
    } else {
      req.log?.error({ err: e }, 'oauth2 endpoint failed');
      err = new OAuthError('server_error', `unexpected error (request id ${String(req.id ?? '')})`);
    }
    noStore(res);
    for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
    if (err.status >= 400 && err.status < 500) req.log?.warn({ error: err.error, description: err.description }, 'oauth2 request rejected');
    res.status(err.status).json(err.toBody());
  };

  router.post('/oauth2/token', async (req: Request, res: Response) => {
    try {
      // Client-secret guessing: an IP past AUTH_FAILURE_LIMIT failures is not even checked.
      const wait = (await failures?.blockedFor(ip(req))) ?? 0;
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        throw new OAuthError('invalid_request', `too many failed client authentications from this address; retry in ${wait} s`, { status: 429 });
      }
      const body = await tokenEndpoint(auth, endpointRequest(req));
      noStore(res);
      res.status(200).json(body);
    } catch (e) {
      if (e instanceof OAuthError && e.error === 'invalid_client') await failures?.fail(ip(req));
      oauthFailure(req, res, e);
    }
  });

  router.post('/oauth2/revoke', async (req: Request, res: Response) => {
    try {
      await revocationEndpoint(auth, endpointRequest(req));
      noStore(res);
      // RFC 7009 §2.2 only asks for a 200; an empty JSON object is what clients that insist on JSON
      // answers (simple-oauth2's revokeAll()) can read, and what the others ignore.
      res.status(200).json({});
    } catch (e) {
      oauthFailure(req, res, e);
    }
  });

  // RFC 6749 §3.2: the token endpoint is POST only (so is revocation, RFC 7009 §2.1).
  for (const path of ['/oauth2/token', '/oauth2/revoke']) {
    router.all(path, (req: Request, res: Response) => {
      res.setHeader('Allow', 'POST');
      noStore(res);
      res.status(405).json({ error: 'invalid_request', error_description: `${req.method} is not allowed here: use POST` });
    });
  }

  const metadata = authorizationServerMetadata(issuer);
  const sendMetadata = (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.json(metadata);
  };
  // The gateway's own location, and so `<PUBLIC_URL>/.well-known/...` behind a proxy that strips
  // the PUBLIC_URL path.
  router.get(WELL_KNOWN, sendMetadata);
  // RFC 8414 §3.1: for an issuer with a path, clients ask `/.well-known/oauth-authorization-server<path>`
  // at the host's root (the path goes after the well-known segment). Compared as a string, not as an
  // Express pattern: the path may hold `:` or `*`.
  if (basePath !== '') {
    const rfc8414Path = `${WELL_KNOWN}${basePath}`;
    router.get(`${WELL_KNOWN}/*rest`, (req: Request, res: Response, next) => (req.path === rfc8414Path ? sendMetadata(req, res) : next()));
  }

  return router;
}
