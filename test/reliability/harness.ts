/**
 * The moving parts of the reliability suite (run.ts): the local 3-node cluster and its nodes, gateway
 * and ingest processes, a Redis of our own, S3Proxy, and a load generator that keeps one connection per
 * worker (keep-alive, as real clients) and records every answer. Everything listens on 127.0.0.1;
 * every loop is bounded in count and time; only processes this suite started are signalled.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = join(__dirname, '..', '..', '..', '..');
/** The compiled gateway and CLIs of this run (tsconfig.json of the suite). */
export const DIST = join(__dirname, '..', '..');
const run = promisify(execFile);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function sh(cmd: string, args: string[], timeoutMs = 300_000, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = await run(cmd, args, { cwd: ROOT, timeout: timeoutMs, env, maxBuffer: 16 << 20 });
  return `${r.stdout}${r.stderr}`;
}

export async function json<T = Record<string, unknown>>(url: string, init: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  return (await res.json()) as T;
}

// ---- the local cluster (ops/opensearch/cluster.sh) ----------------------------------------------------

export class Cluster {
  readonly urls: string[];
  constructor(
    readonly base = Number(process.env.RELIABILITY_CLUSTER_BASE_PORT ?? 9201),
    readonly nodes = 3,
    readonly heap = process.env.RELIABILITY_NODE_HEAP ?? '512m',
  ) {
    this.urls = Array.from({ length: nodes }, (_, i) => `http://127.0.0.1:${base + i}`);
  }

  async start(fresh: boolean): Promise<number> {
    const t = Date.now();
    await sh('bash', ['ops/opensearch/cluster.sh', 'start', '--base-port', String(this.base), '--heap', this.heap, '--timeout', '300', ...(fresh ? ['--fresh'] : [])], 330_000);
    return Date.now() - t;
  }

  async stop(): Promise<void> {
    await sh('bash', ['ops/opensearch/cluster.sh', 'stop'], 120_000).catch(() => '');
  }

  private pidFile(i: number): string {
    return join(ROOT, '.local', 'opensearch', 'cluster', `node-${i}`, 'opensearch.pid');
  }

  pid(i: number): number | undefined {
    const f = this.pidFile(i);
    if (!existsSync(f)) return undefined;
    const pid = Number(readFileSync(f, 'utf8').trim());
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    // Our launcher for this node only (never another process that reused the pid).
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(`/cluster/node-${i} `) && !cmd.includes(`/cluster/node-${i}\u0000`)) return undefined;
    } catch {
      return undefined;
    }
    return pid;
  }

  /** kill -9 of node i (1-based). */
  kill9(i: number): void {
    const pid = this.pid(i);
    if (!pid) throw new Error(`node-${i} is not running`);
    process.kill(pid, 'SIGKILL');
  }

  /** Starts node i again with the cluster's settings (as cluster.sh does), without waiting. */
  async startNode(i: number): Promise<void> {
    const tbase = this.base + 100;
    const names = Array.from({ length: this.nodes }, (_, k) => `node-${k + 1}`).join(',');
    const seeds = Array.from({ length: this.nodes }, (_, k) => `127.0.0.1:${tbase + k}`).join(',');
    await sh('bash', ['ops/opensearch/start.sh', '--no-wait', '--dir', 'cluster', '--name', `node-${i}`, '--port', String(this.base + i - 1), '--transport-port', String(tbase + i - 1), '--heap', this.heap, '--cluster-name', 'ods-local-cluster', '--seed-hosts', seeds, '--initial-managers', names]);
  }

  /** Waits until some node (not `avoid`, 1-based) says the cluster has `nodes` nodes and is green, or throws. */
  async waitGreen(nodes: number, timeoutMs: number, avoid?: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const u of this.urls.filter((_, i) => i + 1 !== avoid)) {
        try {
          const h = await json<{ status?: string; number_of_nodes?: number; timed_out?: boolean }>(`${u}/_cluster/health?wait_for_status=green&wait_for_nodes=${nodes}&timeout=2s`, { timeoutMs: 5000 });
          if (h.status === 'green' && h.number_of_nodes === nodes && !h.timed_out) return;
        } catch {
          // that node is down or not joined yet
        }
      }
      await sleep(500);
    }
    throw new Error(`the cluster is not green with ${nodes} nodes after ${timeoutMs} ms`);
  }
}

// ---- processes --------------------------------------------------------------------------------------

export interface Proc {
  url: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  signal(sig: NodeJS.Signals): void;
}

function spawnNode(script: string, args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, output: () => out };
}

/** A gateway process (compiled main.js); resolves once /healthz answers. */
export async function startGateway(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const p = spawnNode(join(DIST, 'src', 'main.js'), [], { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', QUOTA_ANONYMOUS_DAILY_LIMIT: '1000000000', ...env });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i += 1) {
    if (p.child.exitCode !== null) throw new Error(`the gateway exited: ${p.output().slice(-2000)}`);
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) {
        return { url, pid: p.child.pid!, child: p.child, exited: p.exited, output: p.output, signal: (s) => p.child.kill(s) };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  p.child.kill('SIGKILL');
  throw new Error('the gateway did not answer /healthz within 20 s');
}

/** The ingest CLI as a process. */
export function ingest(args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  return spawnNode(join(DIST, 'src', 'cli', 'ingest.js'), ['--no-progress', ...args], env);
}

/** A redis-server of our own (never the shared one). */
export async function startRedis(port: number): Promise<{ url: string; kill9(): void; restart(): Promise<void>; stop(): Promise<void> }> {
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i += 1) {
      try {
        await sh('redis-cli', ['-p', String(port), 'ping'], 2000);
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`redis-server on ${port} did not start`);
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill9: () => child?.kill('SIGKILL'),
    restart: launch,
    stop: async () => {
      child?.kill('SIGTERM');
      await sleep(200);
    },
  };
}

// ---- HTTP clients and the load ----------------------------------------------------------------------

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** One request on the agent's connection; errors carry their code (ECONNRESET, ECONNREFUSED...). */
export function call(agent: http.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {}): Promise<Answer> {
  const u = new URL(url);
  const t = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: init.method ?? 'GET', headers: init.headers, agent, timeout: init.timeoutMs ?? 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - t }));
      res.on('error', reject);
      res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ABORTED' })));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface LoadStats {
  requests: number;
  ok: number;
  /** status or error code → count, for everything that was not a 200 */
  failures: Record<string, number>;
  maxMs: number;
  /** 503 answers without Retry-After */
  missingRetryAfter: number;
  /** answers to requests SENT after `mark()` that said Connection: keep-alive (must be none in a drain) */
  keepAliveAfterMark: number;
  /** answers RECEIVED after `mark()` that said Connection: close (requests in flight when the drain began) */
  closeAfterMark: number;
  firstFailureAt?: number;
  lastFailureAt?: number;
}

export interface Load {
  stats: LoadStats;
  /** Answers from now on are "after the mark" (shutdown checks). */
  mark(): void;
  stop(): Promise<LoadStats>;
  done: Promise<LoadStats>;
}

/**
 * `concurrency` workers, each with its own keep-alive connection, requesting `paths` round-robin until
 * stopped or `maxMs` passed; a worker whose connection is refused waits 50 ms and tries again (unless
 * `stopOnRefused`, for a gateway that is going away).
 */
export function startLoad(base: () => string, paths: string[], o: { concurrency?: number; maxMs?: number; stopOnRefused?: boolean; timeoutMs?: number; headers?: Record<string, string> } = {}): Load {
  const stats: LoadStats = { requests: 0, ok: 0, failures: {}, maxMs: 0, missingRetryAfter: 0, keepAliveAfterMark: 0, closeAfterMark: 0 };
  let stopping = false;
  let marked = false;
  const end = Date.now() + (o.maxMs ?? 300_000);
  const fail = (what: string) => {
    stats.failures[what] = (stats.failures[what] ?? 0) + 1;
    stats.firstFailureAt ??= Date.now();
    stats.lastFailureAt = Date.now();
  };
  let n = 0;
  const worker = async (): Promise<void> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (!stopping && Date.now() < end) {
        const path = paths[n++ % paths.length]!;
        const afterMark = marked;
        const t = Date.now();
        try {
          const a = await call(agent, `${base()}${path}`, { timeoutMs: o.timeoutMs ?? 60_000, ...(o.headers ? { headers: o.headers } : {}) });
          stats.requests += 1;
          stats.maxMs = Math.max(stats.maxMs, a.ms);
          if (afterMark && a.headers.connection !== 'close') stats.keepAliveAfterMark += 1;
          if (marked && a.headers.connection === 'close') stats.closeAfterMark += 1;
          if (a.status === 200) stats.ok += 1;
          else {
            fail(String(a.status));
            if (a.status === 503 && !a.headers['retry-after']) stats.missingRetryAfter += 1;
          }
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
          stats.maxMs = Math.max(stats.maxMs, Date.now() - t);
          if (code === 'ECONNREFUSED' && o.stopOnRefused) {
            fail('ECONNREFUSED');
            return;
          }
          stats.requests += 1;
          fail(code === 'ECONNRESET' || /socket hang up/.test(String(code)) ? 'ECONNRESET' : String(code));
          if (code === 'ECONNREFUSED') await sleep(50);
        }
      }
    } finally {
      agent.destroy();
    }
  };
  const done = Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker)).then(() => stats);
  return {
    stats,
    mark: () => {
      marked = true;
    },
    stop: async () => {
      stopping = true;
      return done;
    },
    done,
  };
}

export function describeFailures(f: Record<string, number>): string {
  const parts = Object.entries(f).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} × ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}
