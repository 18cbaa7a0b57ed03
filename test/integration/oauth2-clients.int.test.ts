/**
 * Interop: the client examples of docs/examples/oauth2/ (oauth4webapi, openid-client, simple-oauth2,
 * each with its default settings where the protocol allows) through the whole flow against the
 * gateway as main.ts starts it (OpenSearch identities and a restricted dataset, Redis tokens):
 * discovery, authorization code with PKCE S256 through the login and consent pages (a browser with
 * a cookie jar), a Bearer call on the restricted dataset, refresh, logout by revocation, and the error
 * cases. Twice: PUBLIC_URL without a path, and PUBLIC_URL with one (`/ods`) behind a proxy that
 * strips it, as docs/security.md tells operators to deploy it.
 *
 * The libraries are ES modules, which jest's CommonJS environment cannot load: the examples run in a
 * child process (oauth2-clients/drive.mjs) that prints what happened; the checks are here, plus
 * checks of our own over HTTP (revoked tokens are dead, the dataset is closed to anonymous callers).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { start } from '../../src/main';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { indexNames } from '../../src/datasets/index-names';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';

jest.setTimeout(180_000);

const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const names = indexNames(`itoaclients${run}`);
const ROOT = join(__dirname, '..', '..');
const DRIVER = join(__dirname, 'oauth2-clients', 'drive.mjs');
const EXAMPLES = join(ROOT, 'docs', 'examples', 'oauth2');
const LIBRARIES = ['oauth4webapi', 'openid-client', 'simple-oauth2'] as const;
type Library = (typeof LIBRARIES)[number];

const REDIRECT = 'http://127.0.0.1:3000/oauth2/callback';
const CLIENT = { id: 'interop-dashboard', secret: 'interop-client-secret-0123456789abcdef' };
const USER = { username: 'alice', password: 'interop-alice-password' };
/** RFC 6749 §5.2 error_description characters. */
const DESCRIPTION = expect.stringMatching(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);

/** A dataset only alice may read: a Bearer call that finds its records is alice's. */
const NOTES = ['first note', 'second note', 'third note', 'fourth note', 'fifth note'];
const notes = parseDescriptor({
  datasetid: 'private-notes',
  metas: { title: 'Private notes' },
  fields: [{ name: 'text', label: 'Text', type: 'text' }],
  visibility: { restricted: { users: [USER.username], groups: [] } },
});
const API_PATH = '/api/records/1.0/search/?dataset=private-notes&rows=0';

const bootstrap = {
  users: [{ username: USER.username, password: USER.password }],
  clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, name: 'Interop dashboard', type: 'confidential', redirect_uris: [REDIRECT] }],
};

const listen = (server: http.Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/**
 * A reverse proxy serving the gateway under `prefix`: `<prefix>/...` goes to the gateway without
 * the prefix; `/.well-known/oauth-authorization-server<prefix>`, the RFC 8414 metadata location at
 * the host's root, goes to it unchanged; anything else is another application's (404).
 */
function prefixProxy(prefix: string, gatewayPort: () => number): http.Server {
  return http.createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    let upstream: string | undefined;
    if (path === prefix || path.startsWith(`${prefix}/`)) upstream = url.slice(prefix.length).replace(/^(?!\/)/, '/');
    else if (path === `/.well-known/oauth-authorization-server${prefix}`) upstream = url;
    if (upstream === undefined) {
      res.writeHead(404).end();
      return;
    }
    const up = http.request({ host: '127.0.0.1', port: gatewayPort(), method: req.method, path: upstream, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
}

interface Deployment {
  publicUrl: string;
  /** The RFC 8414 §3.1 metadata URL of the issuer. */
  metadataUrl: string;
  stop: () => Promise<void>;
}

let dir: string;
const deployments: Record<'root' | 'prefix', Deployment> = {} as never;

async function startGateway(publicUrl: string, port: number) {
  return start({
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    OPENSEARCH_URL,
    REDIS_URL,
    INDEX_PREFIX: names.prefix,
    PUBLIC_URL: publicUrl,
    BOOTSTRAP_FILE: join(dir, 'bootstrap.json'),
    IDENTITY_CACHE_TTL_MS: '0',
    // The token endpoint counts against the caller's IP: room for every run of this file in a day.
    QUOTA_ANONYMOUS_DAILY_LIMIT: '1000000',
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oauth2-clients-'));
  writeFileSync(join(dir, 'bootstrap.json'), JSON.stringify(bootstrap));
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL });
  await loadDataset({
    client,
    names,
    datasetId: notes.datasetid,
    descriptor: notes,
    source: { rows: (async function* () { let line = 0; for (const text of NOTES) yield { line: ++line, row: { text } }; })() },
    log: () => {},
  });
  await client.close();

  // Without a path: the gateway itself, at a port chosen before it starts (PUBLIC_URL names it).
  const probe = http.createServer();
  const rootPort = await listen(probe);
  await new Promise((r) => probe.close(r));
  const rootUrl = `http://127.0.0.1:${rootPort}`;
  const root = await startGateway(rootUrl, rootPort);
  deployments.root = { publicUrl: rootUrl, metadataUrl: `${rootUrl}/.well-known/oauth-authorization-server`, stop: root.stop };

  // With a path: the proxy first (PUBLIC_URL names its port), then the gateway behind it.
  let gatewayPort = 0;
  const proxy = prefixProxy('/ods', () => gatewayPort);
  const proxyPort = await listen(proxy);
  const prefixed = await startGateway(`http://127.0.0.1:${proxyPort}/ods`, 0);
  gatewayPort = (prefixed.server.address() as AddressInfo).port;
  deployments.prefix = {
    publicUrl: `http://127.0.0.1:${proxyPort}/ods`,
    metadataUrl: `http://127.0.0.1:${proxyPort}/.well-known/oauth-authorization-server/ods`,
    stop: async () => {
      await prefixed.stop();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    },
  };
});

afterAll(async () => {
  await deployments.root?.stop();
  await deployments.prefix?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  const client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL });
  await client.indices.delete({ index: `${names.prefix}-*` }).catch(() => undefined);
  await client.indices.delete({ index: names.securityIndex }).catch(() => undefined);
  await client.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${names.prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

/** Runs one library's example through drive.mjs; the JSON report it prints. */
function drive(library: Library, publicUrl: string): Promise<Record<string, unknown>> {
  const cfg = {
    module: join(EXAMPLES, `${library}.mjs`),
    publicUrl,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    redirectUri: REDIRECT,
    user: USER,
    apiPath: API_PATH,
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [DRIVER], { env: { ...process.env, OAUTH2_DRIVE: JSON.stringify(cfg) }, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${library} driver failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

/** What each library reports for an OAuth2 error answer of the token or revocation endpoint. */
const tokenError = (status: number, error: string) => ({ ok: false, error: { kind: 'body', status, error, description: DESCRIPTION } });

function expectedReport(library: Library, publicUrl: string) {
  const discovers = library !== 'simple-oauth2';
  const tokens = {
    token_type: 'bearer',
    expires_in: 3600,
    scope: 'all',
    access_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
    refresh_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
  };
  const records = { status: 200, nhits: NOTES.length };
  return {
    discovery: discovers
      ? {
          issuer: publicUrl,
          authorization_endpoint: `${publicUrl}/oauth2/authorize/`,
          token_endpoint: `${publicUrl}/oauth2/token/`,
          revocation_endpoint: `${publicUrl}/oauth2/revoke/`,
        }
      : null,
    authorizationRequest: { endpoint: `${publicUrl}/oauth2/authorize/`, code_challenge_method: 'S256' },
    // Login page, sign-in (303 to the consent page), consent page, approval (302 to the client).
    browser: { statuses: [200, 303, 200, 302], cookiePath: `${new URL(publicUrl).pathname.replace(/\/$/, '')}/oauth2`, callback: REDIRECT, params: ['code', 'state'] },
    tokens,
    api: records,
    refreshed: tokens,
    apiAfterRefresh: records,
    logout: { ok: true },
    // oauth4webapi and openid-client raise the RFC 6750 challenge; simple-oauth2 leaves the call to fetch.
    apiAfterLogout: discovers ? { kind: 'challenge', status: 401, scheme: 'bearer', error: 'invalid_token' } : { kind: 'response', status: 401, scheme: 'bearer', error: 'invalid_token' },
    refreshAfterLogout: tokenError(400, 'invalid_grant'),
    rotatedRefreshReplayed: tokenError(400, 'invalid_grant'),
    refreshAfterReplay: tokenError(400, 'invalid_grant'),
    codeRedeemedTwice: tokenError(400, 'invalid_grant'),
    wrongVerifier: tokenError(400, 'invalid_grant'),
    denied: { ok: false, error: { kind: 'redirect', error: 'access_denied', description: DESCRIPTION } },
    // Basic authentication failed: 401 with WWW-Authenticate: Basic (RFC 6749 §5.2), which
    // oauth4webapi raises as a challenge (openid-client authenticates in the body by default).
    wrongSecret:
      library === 'oauth4webapi'
        ? { ok: false, error: { kind: 'challenge', status: 401, scheme: 'basic', error: 'invalid_client', description: DESCRIPTION } }
        : tokenError(401, 'invalid_client'),
  };
}

const basic = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
const refreshWith = (publicUrl: string, refreshToken: string) =>
  fetch(`${publicUrl}/oauth2/token/`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });

describe.each(['root', 'prefix'] as const)('PUBLIC_URL %s', (which) => {
  it('When asked for metadata at the RFC 8414 location and under PUBLIC_URL, then both answer; the dataset is closed to anonymous callers', async () => {
    const d = deployments[which];
    const rfc = await fetch(d.metadataUrl);
    expect(rfc.status).toBe(200);
    const metadata = (await rfc.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(d.publicUrl);
    const under = await fetch(`${d.publicUrl}/.well-known/oauth-authorization-server`);
    expect(await under.json()).toEqual(metadata);
    expect((await fetch(`${d.publicUrl}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${d.publicUrl}${API_PATH}`)).status).toBe(401);
  });

  it.each(LIBRARIES)('When %s logs a user in, calls the API, refreshes and logs out, then each step and each error case works as the protocol says', async (library) => {
    const d = deployments[which];
    const report = await drive(library, d.publicUrl);
    expect(report).toEqual(expectedReport(library, d.publicUrl));
    // Logout left nothing alive: the last access token and refresh token, checked over HTTP ourselves.
    const refreshed = report.refreshed as { access_token: string; refresh_token: string };
    const call = await fetch(`${d.publicUrl}${API_PATH}`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    expect(call.status).toBe(401);
    const refresh = await refreshWith(d.publicUrl, refreshed.refresh_token);
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
    // The first refresh token was rotated away by the refresh.
    const first = report.tokens as { refresh_token: string };
    expect(first.refresh_token).not.toBe(refreshed.refresh_token);
  });
});
