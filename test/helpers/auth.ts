/**
 * Authentication fixtures for HTTP tests (identity, OAuth2, permissions): the real app with
 * in-memory identity and token stores on a controllable clock, seeded users, keys and clients, and
 * a helper that drives the browser part of the OAuth2 flow (login and consent pages) with supertest.
 */
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { DEFAULT_AUTH_SETTINGS, type AuthServices, type AuthSettings } from '../../src/auth/services';
import { identityService } from '../../src/auth/identity';
import { memoryIdentityStore, type IdentityStore } from '../../src/auth/identity-store';
import { memoryTokenStore } from '../../src/auth/token-store';
import { hashPassword } from '../../src/auth/secrets';
import type { Backend } from '../../src/opensearch/backend';
import { fakeBackend, type FakeBackend } from './fake-backend';
import { createHash } from 'node:crypto';

export const ISSUER = 'https://gateway.example.org';
export const REDIRECT = 'https://client.example.com/cb';
export const PUBLIC_REDIRECT = 'com.example.app:/oauth2redirect';

export interface AuthFixture {
  app: Express;
  auth: AuthServices;
  /** The identity store under auth.identity, for records the service would refuse to make. */
  store: IdentityStore;
  backend: FakeBackend;
  clock: { now: number };
  keys: { alice: string; bob: string; admin: string };
  confidential: { clientId: string; clientSecret: string };
  other: { clientId: string; clientSecret: string };
  publicClient: { clientId: string };
}

// scrypt is slow on purpose: hash each fixture password once per test file.
const hashes = new Map<string, Promise<string>>();
const hashOnce = (password: string): Promise<string> => {
  let h = hashes.get(password);
  if (!h) hashes.set(password, (h = hashPassword(password)));
  return h;
};

export async function authFixture(
  options: { settings?: Partial<AuthSettings>; backend?: FakeBackend; adminToken?: string } = {},
): Promise<AuthFixture> {
  const clock = { now: Date.parse('2024-03-01T10:00:00Z') };
  const now = () => clock.now;
  const store = memoryIdentityStore();
  const auth: AuthServices = {
    identity: identityService(store, { cacheTtlMs: 0, clock: now }),
    tokens: memoryTokenStore(now),
    settings: { ...DEFAULT_AUTH_SETTINGS, issuer: ISSUER, ...options.settings },
  };
  const backend = options.backend ?? fakeBackend();
  const app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1024 * 1024, publicUrl: ISSUER },
    logger: createLogger('silent'),
    backend: backend as Backend,
    registry: datasetRegistry(backend, 0),
    auth,
    ...(options.adminToken ? { tokens: { admin: options.adminToken } } : {}),
  });
  const id = auth.identity;
  await id.putGroup({ name: 'north', attributes: { region: 'north', level: 'group' } });
  await id.putUser({ username: 'alice', passwordHash: await hashOnce('alice-password'), groups: ['north'], attributes: { city: 'Paris', level: 'user' } });
  await id.putUser({ username: 'bob', passwordHash: await hashOnce('bob-password') });
  await id.putUser({ username: 'root', passwordHash: await hashOnce('root-password'), admin: true });
  const alice = (await id.createApiKey({ username: 'alice', label: 'tests' })).key;
  const bob = (await id.createApiKey({ username: 'bob' })).key;
  const admin = (await id.createApiKey({ username: 'root' })).key;
  const conf = await id.registerClient({ name: 'Dashboard <b>"app"</b>', type: 'confidential', redirect_uris: [REDIRECT] });
  const other = await id.registerClient({ name: 'Other', type: 'confidential', redirect_uris: [REDIRECT] });
  const pub = await id.registerClient({ name: 'Mobile', type: 'public', redirect_uris: [PUBLIC_REDIRECT] });
  return {
    app,
    auth,
    store,
    backend,
    clock,
    keys: { alice, bob, admin },
    confidential: { clientId: conf.client.clientId, clientSecret: conf.clientSecret! },
    other: { clientId: other.client.clientId, clientSecret: other.clientSecret! },
    publicClient: { clientId: pub.client.clientId },
  };
}

/** RFC 7636 S256 challenge of a verifier. */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function cookieOf(res: request.Response): string | undefined {
  const set = res.headers['set-cookie'] as unknown as string[] | undefined;
  return set?.[0]?.split(';')[0];
}

export function csrfOf(html: string): string {
  const m = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no csrf_token in page:\n${html}`);
  return m[1]!;
}

export interface BrowserResult {
  /** The final answer (a redirect to the client, or an error). */
  res: request.Response;
  location: string | undefined;
  cookie: string | undefined;
}

/**
 * GET the authorization endpoint, log in, and approve (or deny) on the consent page, like a browser.
 * Returns the last answer: for a valid request, the 302 to the client.
 */
/** An Express app, or the URL of a running gateway. */
export type Target = Express | string;

export async function authorizeInBrowser(
  app: Target,
  params: Record<string, string>,
  options: { username?: string; password?: string; decision?: 'approve' | 'deny'; query?: string } = {},
): Promise<BrowserResult> {
  const qs = options.query ?? new URLSearchParams(params).toString();
  const first = await request(app).get(`/oauth2/authorize/?${qs}`);
  if (first.status !== 200) return { res: first, location: first.headers.location, cookie: undefined };
  let cookie = cookieOf(first);
  const login = await request(app)
    .post('/oauth2/authorize/')
    .set('Cookie', cookie!)
    .type('form')
    .send({ ...params, csrf_token: csrfOf(first.text), action: 'login', username: options.username ?? 'alice', password: options.password ?? 'alice-password' });
  if (login.status !== 303) return { res: login, location: login.headers.location, cookie };
  cookie = cookieOf(login);
  const consent = await request(app).get(login.headers.location!).set('Cookie', cookie!);
  if (consent.status !== 200) return { res: consent, location: consent.headers.location, cookie };
  const decided = await request(app)
    .post('/oauth2/authorize/')
    .set('Cookie', cookie!)
    .type('form')
    .send({ ...params, csrf_token: csrfOf(consent.text), action: options.decision ?? 'approve' });
  return { res: decided, location: decided.headers.location, cookie };
}

/** The query parameters of a redirect location. */
export const queryOf = (location: string | undefined): URLSearchParams => new URLSearchParams((location ?? '').split('?')[1] ?? '');

/** A code for the confidential client, through the whole browser flow. */
export async function codeFor(f: AuthFixture, extra: Record<string, string> = {}): Promise<string> {
  const r = await authorizeInBrowser(f.app, { client_id: f.confidential.clientId, redirect_uri: REDIRECT, response_type: 'code', state: 'xyz', ...extra });
  const code = queryOf(r.location).get('code');
  if (!code) throw new Error(`no code: ${r.res.status} ${r.location ?? r.res.text}`);
  return code;
}

/** Exchanges a code with Basic client authentication; returns the supertest response. */
export function exchange(f: AuthFixture, code: string, extra: Record<string, string> = {}, client = f.confidential) {
  return request(f.app)
    .post('/oauth2/token/')
    .set('Authorization', basic(client.clientId, client.clientSecret))
    .type('form')
    .send({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra });
}

/** Tokens for alice through the whole flow. */
export async function tokensFor(f: AuthFixture): Promise<{ access_token: string; refresh_token: string }> {
  const res = await exchange(f, await codeFor(f));
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${res.text}`);
  return res.body as { access_token: string; refresh_token: string };
}
