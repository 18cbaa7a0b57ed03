/**
 * Client authentication at the token and revocation endpoints (RFC 6749 §2.3):
 *
 * - `Authorization: Basic base64(id:secret)` with id and secret form-urlencoded first (Appendix B),
 *   or `client_id` / `client_secret` in the form body (v1 allows both);
 * - both methods at once → 400 invalid_request (§2.3: one method per request); a body `client_id`
 *   different from the Basic one → 400; a malformed Basic header → 400; credentials in the query
 *   string → 400 (§2.3.1: MUST NOT);
 * - no client identification at all, or another Authorization scheme than Basic → 401
 *   invalid_client (§5.2: "no client authentication included, or unsupported authentication
 *   method"), with `WWW-Authenticate: Basic`;
 * - unknown client or wrong secret → 401 invalid_client, with `WWW-Authenticate: Basic` when the
 *   client used the header (§5.2);
 * - a public client identifies itself with `client_id` and no secret (PKCE protects its codes).
 */
import type { Identity } from '../identity';
import type { OAuthClientRecord } from '../identity-store';
import { matchesSha256 } from '../secrets';
import { OAuthError, invalidRequest } from './oauth-error';
import { problemOf, readParam, type ParamBag } from './params';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** Appendix B: `+` is a space, then percent-decoding; undefined when the encoding is broken. */
function formDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses `Basic <b64>`; throws invalid_request on a malformed value. */
export function parseBasic(header: string): { id: string; secret: string } {
  const m = /^Basic +(\S*)\s*$/i.exec(header);
  const bad = () => invalidRequest('invalid Authorization header: expected Basic base64(client_id:client_secret)');
  if (!m || !m[1] || !BASE64.test(m[1]) || m[1].length % 4 !== 0) throw bad();
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw bad();
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === undefined || secret === undefined || id === '') throw bad();
  return { id, secret };
}

/** Reads the client's credentials from the request, without checking them. */
export function readClientCredentials(headers: { authorization?: string | undefined }, body: ParamBag | undefined, query: ParamBag | undefined): ClientCredentials {
  if (query?.client_secret !== undefined) throw invalidRequest('client credentials must not be sent in the query string');
  const idParam = readParam(body, 'client_id');
  const secretParam = readParam(body, 'client_secret');
  const problem = problemOf('client_id', idParam) ?? problemOf('client_secret', secretParam);
  if (problem) throw invalidRequest(problem);
  const bodyId = idParam.ok ? idParam.value : undefined;
  const bodySecret = secretParam.ok ? secretParam.value : undefined;

  const header = headers.authorization;
  if (header !== undefined && header !== '') {
    // §5.2: an unsupported authentication method is invalid_client, and 401 with a challenge since
    // the client tried the Authorization header.
    if (!/^Basic\b/i.test(header)) {
      throw new OAuthError('invalid_client', 'unsupported client authentication method: use Basic, or client_id and client_secret in the body', { basicChallenge: true });
    }
    const basic = parseBasic(header);
    if (bodySecret !== undefined) throw invalidRequest('the client authenticated twice (Basic header and client_secret in the body): use one method');
    if (bodyId !== undefined && bodyId !== basic.id) throw invalidRequest('client_id in the body differs from the one in the Basic header');
    return { clientId: basic.id, clientSecret: basic.secret === '' ? undefined : basic.secret, method: 'client_secret_basic' };
  }
  // §5.2: "no client authentication included" is invalid_client (401); the challenge says how to authenticate.
  if (bodyId === undefined) {
    throw new OAuthError('invalid_client', 'no client authentication: send Authorization: Basic, or client_id and client_secret in the body', { basicChallenge: true });
  }
  return { clientId: bodyId, clientSecret: bodySecret, method: bodySecret === undefined ? 'none' : 'client_secret_post' };
}

/** Checks the credentials; the client, or an invalid_client error. */
export async function authenticateClient(identity: Identity, creds: ClientCredentials): Promise<OAuthClientRecord> {
  const fail = () =>
    new OAuthError('invalid_client', 'client authentication failed', { basicChallenge: creds.method === 'client_secret_basic' });
  const client = await identity.getClient(creds.clientId);
  if (!client) throw fail();
  if (client.type === 'public') {
    // A public client has no secret; one that sends a secret is not who it claims to be.
    if (creds.clientSecret !== undefined) throw fail();
    return client;
  }
  if (creds.clientSecret === undefined || client.secretHash === undefined || !matchesSha256(creds.clientSecret, client.secretHash)) throw fail();
  return client;
}
