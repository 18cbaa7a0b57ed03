// Logging a user in to the gateway with simple-oauth2 (v5): authorization code with PKCE S256,
// refresh, logout with revokeAll(). simple-oauth2 has no discovery: the endpoints are PUBLIC_URL's.
import { createHash, randomBytes } from 'node:crypto';
import { AuthorizationCode } from 'simple-oauth2';

export async function connect({ publicUrl, clientId, clientSecret, redirectUri }) {
  const { origin, pathname } = new URL(publicUrl);
  const base = pathname.replace(/\/$/, '');
  const oauth = new AuthorizationCode({
    client: { id: clientId, secret: clientSecret },
    auth: {
      tokenHost: origin,
      tokenPath: `${base}/oauth2/token/`,
      revokePath: `${base}/oauth2/revoke/`,
      authorizePath: `${base}/oauth2/authorize/`,
    },
  });

  return {
    /** Where to send the user's browser; keep `pending` in the user's session until the callback. */
    async startLogin() {
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const url = oauth.authorizeURL({
        redirect_uri: redirectUri,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state,
      });
      return { url, pending: { verifier, state } };
    },
    /** The browser came back to redirectUri: `callbackUrl` is that whole URL (code and state). */
    async finishLogin(callbackUrl, pending) {
      const params = new URL(callbackUrl).searchParams;
      if (params.get('state') !== pending.state) throw new Error('state mismatch: not the answer to our request');
      const error = params.get('error');
      if (error) throw Object.assign(new Error(params.get('error_description') ?? error), { error });
      return oauth.getToken({ code: params.get('code'), redirect_uri: redirectUri, code_verifier: pending.verifier });
    },
    /** An API call (`path` under PUBLIC_URL) with the access token. */
    callApi(accessToken, path) {
      return fetch(`${origin}${base}${path}`, { headers: { Authorization: `Bearer ${accessToken.token.access_token}` } });
    },
    /** New tokens; the refresh token is single-use: keep the new one. */
    refresh(accessToken) {
      return accessToken.refresh();
    },
    /** Revokes the access token, then the refresh token (its whole grant). */
    logout(accessToken) {
      return accessToken.revokeAll();
    },
  };
}
