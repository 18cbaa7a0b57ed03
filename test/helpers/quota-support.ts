/**
 * Shared by the quota and metrics tests (unit, http): real Redis on 127.0.0.1 (never a mock), a
 * unique key prefix per test run (cleaned afterwards), the real createApp over the fake backend, a
 * test middleware that sets a user principal from `X-Test-User`, and a private redis-server that a
 * test may stop and restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import { createApp } from '../../src/app';
import { memoryGenerations } from '../../src/cache/generations';
import { setPrincipal } from '../../src/auth/principal';
import { createLogger, type Logger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import type { Backend } from '../../src/opensearch/backend';
import type { GatewayMetrics } from '../../src/metrics/metrics';
import type { AuthServices } from '../../src/auth/services';
import { QuotaService, type QuotaObserver, type QuotaSettings } from '../../src/quota/service';
import { settings } from './quota-settings';
import { memoryQuotaStore, redisQuotaStore, type QuotaStore } from '../../src/quota/store';
import { connectQuotaRedis, redisReady } from '../../src/quota/wiring';
import { fakeBackend } from './fake-backend';
import { citiesDescriptor, paris } from '../fixtures/datasets/cities';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A valid INDEX_PREFIX, unique to this run: keys are `<it>:quota:...`. */
export function uniquePrefix(): string {
  return `tq${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export { settings };

/** A quota connection to the shared test Redis, ready. */
export async function redisClient(url = REDIS_URL, commandTimeoutMs = 500): Promise<Redis> {
  const c = connectQuotaRedis(url, commandTimeoutMs);
  if (!(await redisReady(c, 5000))) throw new Error(`Redis is not reachable at ${url}`);
  return c;
}

/** Deletes every key of the prefix (bounded SCAN loop). */
export async function cleanKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  for (let i = 0; i < 10_000; i += 1) {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await client.del(...keys);
    cursor = next;
    if (cursor === '0') return;
  }
}

export function redisStore(client: Redis, prefix: string, timeoutMs = 500): QuotaStore {
  return redisQuotaStore(client, { prefix: `${prefix}:quota`, timeoutMs });
}

export function quotaService(
  store: QuotaStore,
  over: Partial<QuotaSettings> = {},
  extra: { now?: () => number; observer?: QuotaObserver; logger?: Logger } = {},
): QuotaService {
  return new QuotaService({ store, settings: settings(over), ...extra });
}

export { memoryQuotaStore };

export interface TestAppOptions {
  quota?: QuotaService;
  metrics?: GatewayMetrics;
  backend?: Backend;
  trustProxy?: boolean | number | string;
  tokens?: { admin?: string; metrics?: string };
  logger?: Logger;
  /** Real authentication (API keys, OAuth2 tokens); default: createApp's empty in-memory stores. */
  auth?: AuthServices;
  /** A response cache (src/cache) of 1 MB with generations in process. */
  responseCache?: boolean;
}

/**
 * The real app (with its authentication middleware), behind a stand-in that sets a principal
 * directly: `X-Test-User: alice` makes the caller the user alice (`X-Test-Admin: 1` an
 * administrator); without it the app's own authentication decides (anonymous without credentials).
 */
export function testApp(o: TestAppOptions = {}): Express {
  const backend =
    o.backend ??
    (() => {
      const b = fakeBackend();
      b.addDataset(citiesDescriptor, [paris]);
      return b;
    })();
  const app = createApp({
    config: { trustProxy: o.trustProxy ?? false, maxRequestBodyBytes: 1024 * 1024 },
    logger: o.logger ?? createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    ...(o.quota ? { quota: o.quota } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
    ...(o.tokens ? { tokens: o.tokens } : {}),
    ...(o.auth ? { auth: o.auth } : {}),
    ...(o.responseCache ? { responseCache: { generations: memoryGenerations(), maxBytes: 1 << 20, ttlMs: 60_000, nowTtlMs: 1000 } } : {}),
  });
  const outer = express();
  outer.use((req, _res, next) => {
    const user = req.headers['x-test-user'];
    if (typeof user === 'string') {
      setPrincipal(req, {
        kind: 'user',
        userId: user,
        groups: [],
        attributes: {},
        via: req.headers['x-test-via'] === 'bearer' ? 'bearer' : 'apikey',
        credentialId: `cred-${user}`,
        admin: req.headers['x-test-admin'] === '1',
      });
    }
    next();
  });
  outer.use(app);
  return outer;
}

/** Listens on 127.0.0.1 (so that req.ip is 127.0.0.1, not ::ffff:127.0.0.1). */
export async function listen(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const DATASET_PATH = '/api/datasets/1.0/cities/';

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A redis-server of our own (no persistence) on a free 127.0.0.1 port, to stop and restart. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i += 1) {
      const ping = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), 'ping'], { encoding: 'utf8', timeout: 1000 });
      if (ping.stdout.trim() === 'PONG') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** `SHUTDOWN NOSAVE`, then waits (bounded) for the process to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), 'shutdown', 'nosave'], { timeout: 2000 });
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }
}

/** Fires `n` requests at once, spread round-robin over `urls`; resolves when all answered. */
export async function burst(urls: string[], n: number, path = DATASET_PATH, headers: Record<string, string> = {}) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await fetch(`${urls[i % urls.length]}${path}`, { headers });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    }),
  );
}
