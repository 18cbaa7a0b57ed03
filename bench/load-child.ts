/**
 * `node load-child.js <spec.json>`: autocannon through its API, in a child process of its own (so that it
 * does not share the bench's event loop), for a SEQUENCE of requests per connection (the dashboard
 * case: every connection sends the page's requests in turn). Prints {p50, p99, rps, total, errors}.
 */
import { readFileSync } from 'node:fs';

interface Spec {
  url: string;
  connections: number;
  seconds: number;
  requests: { method: string; path: string; body?: string }[];
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Spec;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (o: unknown) => Promise<{ latency: { p50: number; p99: number }; requests: { average: number; total: number }; non2xx: number; errors: number }>;
  const r = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    requests: spec.requests.map((q) => ({
      method: q.method,
      path: q.path,
      ...(q.body ? { body: q.body, headers: { 'content-type': 'application/json' } } : {}),
    })),
  });
  process.stdout.write(JSON.stringify({ p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, total: r.requests.total, errors: r.non2xx + r.errors }));
}

void main();
