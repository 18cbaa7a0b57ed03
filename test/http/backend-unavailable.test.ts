import { createServer, type Server } from 'node:net';
import request from 'supertest';
import { buildApp } from '../helpers/build-app';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';

/** A port with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A server that accepts connections and never answers: the request must time out, not hang. */
async function blackhole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const s = createServer((sock) => sockets.add(sock));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    port: (s.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const sock of sockets) sock.destroy();
        s.close(() => r());
      }),
  };
}

describe('OpenSearch unavailable', () => {
  it('answers 503 with Retry-After and a v1 body when OpenSearch refuses connections', async () => {
    const port = await closedPort();
    const client = createOpenSearchClient({ opensearchUrl: `http://127.0.0.1:${port}`, opensearchRequestTimeoutMs: 2000 });
    const app = buildApp(openSearchBackend(client, indexNames('t')));
    const res = await request(app).get('/api/datasets/1.0/cities/').expect(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.errorcode).toBe(10503);
    expect(res.body.error).toMatch(/unavailable/);
    const ready = await request(app).get('/readyz').expect(503);
    expect(ready.body.opensearch).toBe('down');
    await client.close();
  });

  it('answers 503 within the request timeout when OpenSearch accepts but never answers', async () => {
    const hole = await blackhole();
    const client = createOpenSearchClient({ opensearchUrl: `http://127.0.0.1:${hole.port}`, opensearchRequestTimeoutMs: 500 });
    const app = buildApp(openSearchBackend(client, indexNames('t')));
    const started = Date.now();
    const res = await request(app).get('/api/datasets/1.0/cities/records/abc').expect(503);
    expect(Date.now() - started).toBeLessThan(10_000); // bounded: the 500 ms timeout, plus slack for a slow machine
    expect(res.headers['retry-after']).toBeDefined();
    await client.close();
    await hole.close();
  });

  it('reports healthz ok even when OpenSearch is down (liveness only)', async () => {
    const port = await closedPort();
    const client = createOpenSearchClient({ opensearchUrl: `http://127.0.0.1:${port}` });
    const app = buildApp(openSearchBackend(client, indexNames('t')));
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    await client.close();
  });
});
