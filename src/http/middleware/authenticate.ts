/**
 * Who is calling (resource side): passport with passport-http-bearer for OAuth2 access tokens and
 * our ApiKeyStrategy for API keys, on a private Passport instance (no global state, no sessions).
 * Sets the principal with `setPrincipal`; a request without credentials stays anonymous. Runs after
 * body parsing (credentials may come in the body) and before quotas and routes.
 *
 *   no credentials                     → anonymous (restricted datasets then answer 401)
 *   valid API key / access token       → the user; responses get `Cache-Control: private`
 *   unknown API key                    → 401 {"errorcode": 10401, "error": "API key is not valid"}
 *   unknown/expired/revoked token      → 401, WWW-Authenticate: Bearer realm="ods", error="invalid_token"
 *   API key and bearer token together,
 *   one of them twice, malformed header,
 *   access_token in the body of a GET  → 400 (ambiguous: RFC 6750 §2, §2.2, §3.1 invalid_request)
 *   an IP past AUTH_FAILURE_LIMIT bad
 *   credentials in its window          → 429 with Retry-After, whatever it presents (src/protection/failed-auth.ts)
 *
 * On /admin/ paths an unknown bearer token is not an error: it may be ADMIN_TOKEN, which the admin
 * routes check. It also attaches the access-rule source used by `resolveAccess` (src/auth/access.ts), so every
 * route reaches permissions through the request alone. The OAuth2 endpoints authenticate clients
 * themselves: the middleware leaves them alone.
 */
import type { RequestHandler } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { AUTH_REALM } from '../../auth/access';
import { setAccessRuleSource } from '../context';
import { ApiKeyStrategy } from '../../auth/api-key-strategy';
import { presentedCredentials, repeatedParameter } from '../../auth/credentials';
import { setPrincipal, type UserPrincipal } from '../../auth/principal';
import { sha256 } from '../../auth/secrets';
import type { AuthServices } from '../../auth/services';
import { GatewayError } from '../../errors';
import type { FailedAuthLimiter } from '../../protection';

const INVALID_REQUEST = `Bearer realm="${AUTH_REALM}", error="invalid_request"`;

function ambiguous(message: string): GatewayError {
  return new GatewayError('bad_parameter', message, { headers: { 'WWW-Authenticate': INVALID_REQUEST } });
}

/** Paths whose own handlers authenticate (OAuth2 clients, login sessions). */
const SELF_AUTHENTICATED = /^\/(?:oauth2|\.well-known)(?:\/|$)/;
const ADMIN_PATH = /^\/admin(?:\/|$)/;

export function authenticate(auth: AuthServices, failures?: FailedAuthLimiter): RequestHandler {
  const passport = new Passport();
  passport.use(new ApiKeyStrategy((key) => auth.identity.principalForApiKey(key), AUTH_REALM));
  passport.use(
    new BearerStrategy({ realm: AUTH_REALM }, (token: string, done: (err: unknown, user?: UserPrincipal | false) => void) => {
      if (typeof token !== 'string' || token.length > 256) return done(null, false);
      auth.tokens
        .getAccessToken(sha256(token))
        .then((t) => (t ? auth.identity.principalForGrant(t.username, t.grantId) : undefined))
        .then(
          (principal) => done(null, principal ?? false),
          (err: unknown) => done(err),
        );
    }),
  );

  return (req, res, next) => {
    setAccessRuleSource(req, auth.identity);
    if (SELF_AUTHENTICATED.test(req.path)) return next();
    const presented = presentedCredentials(req);
    const { apikey, bearer } = presented;
    if (apikey.length === 0 && bearer.length === 0) return next();
    if (apikey.length > 0 && bearer.length > 0) {
      return next(ambiguous('Send one credential: an API key or an OAuth2 access token, not both'));
    }
    if (apikey.length > 1 || repeatedParameter(req, 'apikey')) {
      return next(ambiguous('Send the API key once: in the Authorization header, the query string or the body'));
    }
    if (repeatedParameter(req, 'access_token')) return next(ambiguous('Send the access token once'));
    if (bearer.includes('body') && req.method === 'GET') {
      // RFC 6750 §2.2: a form-body token "MUST NOT" be sent with GET (bodies of GET requests are
      // not meant to carry meaning, and proxies may drop them).
      return next(ambiguous('Send the access token of a GET request in the Authorization header or the query string, not in a body'));
    }
    const strategy = apikey.length > 0 ? 'apikey' : 'bearer';
    const ip = req.ip ?? 'unknown';
    const verify = passport.authenticate(strategy, { session: false }, (err: unknown, user: UserPrincipal | false, challenge?: unknown, status?: number) => {
      if (err) return next(err);
      if (!user) {
        // A credential that does not exist counts against the IP (a bad key or token is a guess).
        if (status !== 400 && !(strategy === 'bearer' && ADMIN_PATH.test(req.path))) void failures?.fail(ip);
        if (status === 400) {
          return next(
            ambiguous(
              strategy === 'bearer'
                ? 'Malformed bearer credentials: send the access token once, as "Authorization: Bearer <token>", access_token in the query string, or in a form body'
                : 'Malformed API key: send it once, as "Authorization: Apikey <key>" or apikey=<key>',
            ),
          );
        }
        // On /admin/ an unknown bearer token may be the operator's ADMIN_TOKEN: the admin routes
        // check it themselves, so the caller continues as anonymous.
        if (strategy === 'bearer' && ADMIN_PATH.test(req.path)) return next();
        if (strategy === 'apikey') {
          // The message odsclient and others match on (docs/v1-api.md, What real clients send).
          return next(new GatewayError('unauthorized', 'API key is not valid', { headers: { 'WWW-Authenticate': String(challenge) } }));
        }
        return next(
          new GatewayError('unauthorized', 'The access token is invalid, expired or revoked', {
            headers: { 'WWW-Authenticate': typeof challenge === 'string' ? challenge : `Bearer realm="${AUTH_REALM}", error="invalid_token"` },
          }),
        );
      }
      setPrincipal(req, user);
      // Answers to authenticated calls are the caller's own: never stored by shared caches (RFC 6750 §2.3 too).
      res.setHeader('Cache-Control', 'private');
      next();
    }) as RequestHandler;
    // An IP past its failed-authentication limit presents no credential at all until its window ends.
    if (!failures) return verify(req, res, next);
    failures.check(ip).then(
      () => verify(req, res, next),
      (e: unknown) => next(e),
    );
  };
}
