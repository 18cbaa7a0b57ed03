// Logging a user in to the gateway with oauth4webapi (v3): RFC 8414 discovery, authorization code
// with PKCE S256, refresh, logout by revocation. `publicUrl` is the gateway's PUBLIC_URL.
import * as oauth from 'oauth4webapi';

export async function connect({ publicUrl, clientId, clientSecret, redirectUri }) {
  const issuer = new URL(publicUrl);
  // oauth4webapi refuses http:// unless told: for a gateway on localhost only.
  const http = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
  // algorithm 'oauth2': RFC 8414 metadata. The gateway is not an OpenID provider.
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oauth2' }));
  const client = { client_id: clientId };
  const clientAuth = oauth.ClientSecretBasic(clientSecret);

  return {
    metadata: as,
    /** Where to send the user's browser; keep `pending` in the user's session until the callback. */
    async startLogin() {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint);
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('state', state);
      return { url: url.href, pending: { verifier, state } };
    },
    /** The browser came back to redirectUri: `callbackUrl` is that whole URL (code and state). */
    async finishLogin(callbackUrl, pending) {
      const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), pending.state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, pending.verifier, http);
      return oauth.processAuthorizationCodeResponse(as, client, response);
    },
    /** An API call (`path` under PUBLIC_URL) with the access token. */
    callApi(tokens, path) {
      return oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(`${issuer.href.replace(/\/$/, '')}${path}`), undefined, undefined, http);
    },
    /** New tokens; the refresh token is single-use: keep the new one. */
    async refresh(tokens) {
      const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token, http);
      return oauth.processRefreshTokenResponse(as, client, response);
    },
    /** Revoking the refresh token revokes its whole grant, access tokens included. */
    async logout(tokens) {
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, tokens.refresh_token, http));
    },
  };
}
