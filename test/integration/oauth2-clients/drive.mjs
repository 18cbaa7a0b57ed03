// Drives one of the client examples of docs/examples/oauth2/ against a running gateway, as an
// application would, and prints what happened as JSON (test/integration/oauth2-clients.int.test.ts
// checks it). A child process, because the libraries are ES modules, which jest's CommonJS test
// environment cannot load; the examples run here exactly as an integrator's code would.
//
//   OAUTH2_DRIVE='{"module": ..., "publicUrl": ..., "clientId": ..., "clientSecret": ...,
//                  "redirectUri": ..., "user": {"username", "password"}, "apiPath": ...}' node drive.mjs
import { login } from './browser.mjs';

const cfg = JSON.parse(process.env.OAUTH2_DRIVE);
const { connect } = await import(cfg.module);
const settings = { publicUrl: cfg.publicUrl, clientId: cfg.clientId, clientSecret: cfg.clientSecret, redirectUri: cfg.redirectUri };

/** Library errors, reduced to how they surfaced (kind), the HTTP status and the OAuth2 error. */
async function describeError(e) {
  switch (e?.code) {
    // oauth4webapi and openid-client: a 401 with WWW-Authenticate surfaces as the challenge; its body is left unread.
    case 'OAUTH_WWW_AUTHENTICATE_CHALLENGE': {
      const body = await e.response.json().catch(() => undefined);
      const challenge = e.cause?.[0];
      // The challenge's error (RFC 6750 on the API), else the body's (RFC 6749 §5.2 at the token endpoint).
      const error = challenge?.parameters?.error ?? body?.error;
      return { kind: 'challenge', status: e.status, scheme: challenge?.scheme, error, description: body?.error_description };
    }
    case 'OAUTH_RESPONSE_BODY_ERROR':
      return { kind: 'body', status: e.status, error: e.error, description: e.error_description };
    case 'OAUTH_AUTHORIZATION_RESPONSE_ERROR':
      return { kind: 'redirect', error: e.error, description: e.error_description };
    default:
  }
  // simple-oauth2 (@hapi/wreck): a Boom error carrying the parsed JSON body.
  if (e?.isBoom) return { kind: 'body', status: e.output.statusCode, error: e.data?.payload?.error, description: e.data?.payload?.error_description };
  if (typeof e?.error === 'string') return { kind: 'redirect', error: e.error, description: e.message };
  return { kind: 'other', message: String(e?.message ?? e), code: e?.code };
}

const attempt = async (fn) => {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: await describeError(e) };
  }
};

/** oauth4webapi and openid-client give the fields; simple-oauth2 an AccessToken holding them. */
const fieldsOf = (t) => t.token ?? t;
const describeTokens = (t) => {
  const f = fieldsOf(t);
  return { token_type: f.token_type.toLowerCase(), expires_in: f.expires_in, scope: f.scope, access_token: f.access_token, refresh_token: f.refresh_token };
};

/** An API call: its status and nhits, or how a 401 surfaced. */
async function api(app, tokens) {
  const r = await attempt(() => app.callApi(tokens, cfg.apiPath));
  if (!r.ok) return r.error;
  const res = r.value;
  const body = await res.json();
  if (res.status === 200) return { status: 200, nhits: body.nhits };
  const header = res.headers.get('www-authenticate') ?? '';
  return { kind: 'response', status: res.status, scheme: header.split(' ')[0].toLowerCase(), error: /error="([^"]*)"/.exec(header)?.[1] };
}

async function signIn(app, decision = 'approve') {
  const start = await app.startLogin();
  const browser = await login(start.url, cfg.user, decision);
  return { start, browser };
}

// A failure outside the attempts above (an example that cannot even connect) exits 1 with a short
// message: the libraries' errors carry whole Response objects.
process.on('uncaughtException', (e) => {
  process.stderr.write(`${e?.name}: ${e?.message} [${e?.code ?? ''}]\n${e?.stack ?? ''}\n`);
  process.exit(1);
});

const report = {};
const app = await connect(settings);
report.discovery = app.metadata
  ? { issuer: app.metadata.issuer, authorization_endpoint: app.metadata.authorization_endpoint, token_endpoint: app.metadata.token_endpoint, revocation_endpoint: app.metadata.revocation_endpoint }
  : null;

// The whole flow: login, API call, refresh, API call, logout.
{
  const { start, browser } = await signIn(app);
  const u = new URL(start.url);
  report.authorizationRequest = { endpoint: `${u.origin}${u.pathname}`, code_challenge_method: u.searchParams.get('code_challenge_method') };
  const cb = new URL(browser.callbackUrl);
  report.browser = { statuses: browser.statuses, cookiePath: browser.cookiePath, callback: `${cb.origin}${cb.pathname}`, params: [...cb.searchParams.keys()].sort() };
  const tokens = await app.finishLogin(browser.callbackUrl, start.pending);
  report.tokens = describeTokens(tokens);
  report.api = await api(app, tokens);
  const refreshed = await app.refresh(tokens);
  report.refreshed = describeTokens(refreshed);
  report.apiAfterRefresh = await api(app, refreshed);
  report.logout = await attempt(() => app.logout(refreshed));
  report.apiAfterLogout = await api(app, refreshed);
  report.refreshAfterLogout = await attempt(() => app.refresh(refreshed));
}

// Error cases, each as the library surfaces it.
{
  const { start, browser } = await signIn(app);
  const tokens = await app.finishLogin(browser.callbackUrl, start.pending);
  const refreshed = await app.refresh(tokens);
  report.rotatedRefreshReplayed = await attempt(() => app.refresh(tokens));
  report.refreshAfterReplay = await attempt(() => app.refresh(refreshed));
}
{
  const { start, browser } = await signIn(app);
  await app.finishLogin(browser.callbackUrl, start.pending);
  report.codeRedeemedTwice = await attempt(() => app.finishLogin(browser.callbackUrl, start.pending));
}
{
  const { start, browser } = await signIn(app);
  report.wrongVerifier = await attempt(() => app.finishLogin(browser.callbackUrl, { ...start.pending, verifier: 'x'.repeat(43) }));
}
{
  const { start, browser } = await signIn(app, 'deny');
  report.denied = await attempt(() => app.finishLogin(browser.callbackUrl, start.pending));
}
{
  const wrong = await connect({ ...settings, clientSecret: 'wrong-secret' });
  const { start, browser } = await signIn(wrong);
  report.wrongSecret = await attempt(() => wrong.finishLogin(browser.callbackUrl, start.pending));
}

process.stdout.write(JSON.stringify(report));
