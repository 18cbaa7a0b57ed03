/** Load generation (autocannon CLI in a child process, so it does not share the bench's event loop) and sequential timings. */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Captured } from './gateway';

const AUTOCANNON = join(__dirname, '..', '..', '..', 'node_modules', 'autocannon', 'autocannon.js');

export interface Load { p50: number; p99: number; rps: number; errors: number; total?: number }

/** `seconds` of load at `connections`; POST `body` when given. */
export async function autocannon(url: string, connections: number, seconds: number, body?: string): Promise<Load> {
  const args = [AUTOCANNON, '-j', '-c', String(connections), '-d', String(seconds)];
  if (body !== undefined) args.push('-m', 'POST', '-H', 'content-type=application/json', '-b', body);
  args.push(url);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 << 20, timeout: (seconds + 30) * 1000 });
  const r = JSON.parse(stdout) as { latency: { p50: number; p99: number }; requests: { average: number; total: number }; non2xx: number; errors: number };
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.non2xx + r.errors, total: r.requests.total };
}

/** `seconds` of load at `connections`, each connection sending `requests` in turn (bench/load-child.ts). */
export async function autocannonSequence(url: string, connections: number, seconds: number, requests: { method: string; path: string; body?: string }[]): Promise<Load & { total: number }> {
  const spec = join(tmpdir(), `bench-seq-${process.pid}-${Date.now()}.json`);
  writeFileSync(spec, JSON.stringify({ url, connections, seconds, requests }));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'load-child.js'), spec], { maxBuffer: 64 << 20, timeout: (seconds + 30) * 1000 });
    return JSON.parse(stdout) as Load & { total: number };
  } finally {
    rmSync(spec, { force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time (ms) of `fn` over `n` runs after one warm-up; `before` runs untimed before each. */
export async function medianMs(n: number, fn: () => Promise<void>, before?: () => Promise<void>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    await before?.(); // not timed
    const t0 = process.hrtime.bigint();
    await fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ts);
}

export async function getOk(url: string): Promise<void> {
  const r = await fetch(url);
  const text = await r.text();
  if (!r.ok) throw new Error(`${r.status} from ${url}: ${text.slice(0, 300)}`);
}

/** Replays captured OpenSearch requests, one after the other (the gateway's own sequence, minus the gateway). */
export async function replay(base: string, reqs: Captured[]): Promise<void> {
  for (const c of reqs) {
    const r = await fetch(base + c.path, { method: c.method, headers: { 'content-type': 'application/json' }, ...(c.body ? { body: c.body } : {}) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${r.status} replaying ${c.path}: ${text.slice(0, 300)}`);
  }
}
