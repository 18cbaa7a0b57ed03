/** The gateway under test: a child process (RSS readable in /proc), and a capturing proxy to learn its DSL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const OPENSEARCH = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const MAIN = join(__dirname, '..', 'src', 'main.js');

/**
 * BENCH_PORTS=<first>-<last> (e.g. 8230-8249): the gateways, proxies and servers of the bench listen
 * on free ports of that range only (a machine shared with other services); unset, any free port.
 */
const RANGE = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '');
const taken = new Set<number>();

async function bindable(port: number): Promise<number | undefined> {
  const s = createServer();
  const ok = await new Promise<boolean>((r) => {
    s.once('error', () => r(false));
    s.listen(port, '127.0.0.1', () => r(true));
  });
  if (!ok) return undefined;
  const got = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return got;
}

export async function freePort(): Promise<number> {
  if (!RANGE) return (await bindable(0))!;
  for (let p = Number(RANGE[1]); p <= Number(RANGE[2]); p++) {
    if (taken.has(p)) continue;
    if ((await bindable(p)) !== undefined) {
      taken.add(p);
      return p;
    }
  }
  throw new Error(`no free port left in BENCH_PORTS=${process.env.BENCH_PORTS}`);
}

/** The port to listen on: one of BENCH_PORTS when set (released for reuse after), else 0 (any). */
export async function listenPort(): Promise<number> {
  return RANGE ? freePort() : 0;
}

export interface Gateway { url: string; pid: number; stop(): Promise<void> }

/**
 * The gateway runs as in production, with its quotas in Redis (one round trip per request), when a Redis
 * answers at REDIS_URL (default redis://127.0.0.1:6379); without one, with the in-process store.
 */
let REDIS_URL: string | undefined;
export async function detectRedis(): Promise<string | undefined> {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const ok = await new Promise<boolean>((resolve) => {
    const s = connect({ host: url.hostname, port: Number(url.port || 6379) });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.write('PING\r\n');
    });
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
  REDIS_URL = ok ? url.toString() : undefined;
  return REDIS_URL;
}

/** Starts `node main.js` on a free port against `opensearchUrl`; resolves once it answers. */
export async function startGateway(opensearchUrl: string, prefix: string, nodeArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<Gateway> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    OPENSEARCH_URL: opensearchUrl,
    INDEX_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    QUOTA_ANONYMOUS_DAILY_LIMIT: '1000000000',
    FILE_STORE_DIR: join(__dirname, '..', '..', 'bench-files'),
    PUSH_BACKUP_DIR: join(__dirname, '..', '..', 'bench-push'),
    ...(REDIS_URL ? { REDIS_URL } : {}),
    ...extraEnv,
  };
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/api/datasets/1.0/search?rows=0`)).status < 500) return { url, pid: child.pid!, stop };
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error('the gateway did not start');
}

/** Resident set size of a process, in MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface Captured { method: string; path: string; body: string }

/** A proxy to OpenSearch that records every `_search` request (every request with `all`). */
export async function captureProxy(all = false): Promise<{ url: string; take(): Captured[]; close(): Promise<void> }> {
  const target = new URL(OPENSEARCH);
  let seen: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (all || req.url?.includes('_search')) seen.push({ method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') });
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  const port = await listenPort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take: () => {
      const s = seen;
      seen = [];
      return s;
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
