// Logging a user in to the gateway with openid-client (v6, built on oauth4webapi): RFC 8414
// discovery, authorization code with PKCE S256, refresh, logout by revocation. `publicUrl` is the
// gateway's PUBLIC_URL.
import * as client from 'openid-client';

export async function connect({ publicUrl, clientId, clientSecret, redirectUri }) {
  const issuer = new URL(publicUrl);
  const config = await client.discovery(issuer, clientId, clientSecret, undefined, {
    // RFC 8414 metadata: the gateway is not an OpenID provider (the default, 'oidc', gets a 404).
    algorithm: 'oauth2',
    // openid-client refuses http:// unless told: for a gateway on localhost only.
    execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
  });

  return {
    metadata: config.serverMetadata(),
    /** Where to send the user's browser; keep `pending` in the user's session until the callback. */
    async startLogin() {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      return { url: url.href, pending: { verifier, state } };
    },
    /** The browser came back to redirectUri: `callbackUrl` is that whole URL (code and state). */
    finishLogin(callbackUrl, pending) {
      return client.authorizationCodeGrant(config, new URL(callbackUrl), { pkceCodeVerifier: pending.verifier, expectedState: pending.state });
    },
    /** An API call (`path` under PUBLIC_URL) with the access token. */
    callApi(tokens, path) {
      return client.fetchProtectedResource(config, tokens.access_token, new URL(`${issuer.href.replace(/\/$/, '')}${path}`), 'GET');
    },
    /** New tokens; the refresh token is single-use: keep the new one. */
    refresh(tokens) {
      return client.refreshTokenGrant(config, tokens.refresh_token);
    },
    /** Revoking the refresh token revokes its whole grant, access tokens included. */
    logout(tokens) {
      return client.tokenRevocation(config, tokens.refresh_token);
    },
  };
}
