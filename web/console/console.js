// /console/: Swagger UI over /api/openapi.json (docs/front-door.md says why Swagger UI).
//
// "Try it out" calls this gateway with the visitor's credentials: those set with the header's key
// button (shared with the explore pages, sessionStorage) are given to Swagger UI as the
// `apikeyHeader` or `bearerToken` scheme, and follow it when they change. Swagger UI's own
// Authorize dialog works too (API key, access token, or the OAuth2 authorization code flow with
// PKCE for a client registered with the redirect URI /assets/vendor/swagger-ui/oauth2-redirect.html).
import { credentials } from '../common/api.js';
import { renderHeader } from '../common/header.js';

renderHeader('console');

const ui = window.SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'none',
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  tryItOutEnabled: false,
  persistAuthorization: false,
  // Never ask a remote validator (swagger.io) about the document: nothing leaves this gateway.
  validatorUrl: null,
  oauth2RedirectUrl: `${window.location.origin}/assets/vendor/swagger-ui/oauth2-redirect.html`,
  onComplete: () => {
    applyCredentials();
    document.getElementById('swagger-ui').dataset.status = 'ready';
  },
});
ui.initOAuth({ usePkceWithAuthorizationCodeGrant: true, scopes: ['all'] });

let applied = [];
function applyCredentials() {
  const c = credentials();
  // Forget what this page gave Swagger UI before (not what the visitor typed in Authorize).
  if (applied.length > 0) ui.authActions.logout(applied);
  applied = [];
  if (!c) return;
  if (c.kind === 'apikey') {
    ui.preauthorizeApiKey('apikeyHeader', `Apikey ${c.value}`);
    applied = ['apikeyHeader'];
  } else {
    ui.preauthorizeApiKey('bearerToken', c.value);
    applied = ['bearerToken'];
  }
}
window.addEventListener('credentials-changed', applyCredentials);
window.consoleUi = ui;
