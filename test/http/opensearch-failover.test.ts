/**
 * OPENSEARCH_URL with several nodes: the real client (createOpenSearchClient, FailoverTransport) against
 * stand-in nodes on 127.0.0.1 that refuse connections, reset them, never answer, answer 429, or answer
 * properly. Reads fail over to a live node, writes are sent once unless they say they may be repeated,
 * all attempts share one request timeout, and a node that comes back is used again.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { errors } from '@opensearch-project/opensearch';
import { createOpenSearchClient, type Client } from '../../src/opensearch/client';
import { isReadRequest } from '../../src/opensearch/failover-transport';
import { bulkWrite } from '../../src/opensearch/record-bulk';

interface StandIn {
  url: string;
  port: number;
  hits: string[];
  close(): Promise<void>;
}

async function listen(server: Server | ReturnType<typeof createTcpServer>, port = 0): Promise<number> {
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

/** A node that answers: 200 `{}` to HEAD /, a search result, a clean bulk; or `status` to everything. */
async function answering(status = 200, port = 0): Promise<StandIn> {
  const hits: string[] = [];
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      if (status !== 200 && req.method !== 'HEAD') {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'rejected_execution_exception', reason: 'queue full' }, status }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.method === 'HEAD') res.end();
      else if (req.url?.includes('_bulk')) res.end(JSON.stringify({ errors: false, items: [{ index: { status: 201 } }] }));
      else res.end(JSON.stringify({ hits: { total: { value: 0 }, hits: [] } }));
    });
  });
  server.keepAliveTimeout = 100;
  const p = await listen(server, port);
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A node that takes each connection and then resets it (`reset`) or never answers (`hang`). */
async function broken(mode: 'reset' | 'hang'): Promise<StandIn> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((sock) => {
    sockets.add(sock);
    sock.once('data', () => {
      hits.push('request');
      if (mode === 'reset') sock.resetAndDestroy();
    });
    sock.on('error', () => undefined);
  });
  const p = await listen(server);
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on (connections refused at once). */
async function refusedPort(): Promise<number> {
  const s = createTcpServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const standIns: StandIn[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

function client(urls: string[], timeoutMs = 5000): Client {
  const c = createOpenSearchClient({ opensearchUrl: urls.join(','), opensearchRequestTimeoutMs: timeoutMs });
  clients.push(c);
  return c;
}
const track = <T extends StandIn>(s: T): T => {
  standIns.push(s);
  return s;
};
const deadIds = (c: Client): string[] => (c.connectionPool as unknown as { dead: string[] }).dead;

describe('OpenSearch client over several nodes', () => {
  it('answers every read from the live node while the others refuse or reset connections, and sets them aside', async () => {
    const refused = `http://127.0.0.1:${await refusedPort()}`;
    const reset = track(await broken('reset'));
    const live = track(await answering());
    const c = client([refused, reset.url, live.url]);
    for (let i = 0; i < 6; i += 1) {
      const res = await c.search({ index: 'x', body: { query: { match_all: {} } } });
      expect(res.statusCode).toBe(200);
    }
    expect(live.hits).toEqual(Array.from({ length: 6 }, () => 'POST /x/_search'));
    expect(reset.hits).toEqual(['request']); // tried once, then set aside
    expect(deadIds(c).sort()).toEqual([`${refused}/`, `${reset.url}/`].sort());
  });

  it('sends a write once: a document index is not repeated on another node', async () => {
    const reset = track(await broken('reset'));
    const live = track(await answering());
    const c = client([reset.url, live.url]);
    await expect(c.index({ index: 'x', id: '1', body: { a: 1 } })).rejects.toBeInstanceOf(errors.ConnectionError);
    expect(reset.hits).toEqual(['request']);
    expect(live.hits).toEqual([]);
  });

  it('repeats a push bulk (external versions) on another node', async () => {
    const reset = track(await broken('reset'));
    const live = track(await answering());
    const c = client([reset.url, live.url]);
    const doc = { recordid: 'r1', record_timestamp: '2026-01-01T00:00:00Z', fields: {}, __paths: {}, __geo_type: {} };
    const failures = await bulkWrite(c, 'x', [{ kind: 'index', doc: doc as never, version: 7 }], 'wait_for');
    expect(failures).toEqual([]);
    expect(reset.hits).toEqual(['request']);
    expect(live.hits).toEqual(['POST /_bulk?refresh=wait_for']);
  });

  it('gives up after ONE request timeout in total when no node answers, not one per node', async () => {
    const hanging = [track(await broken('hang')), track(await broken('hang')), track(await broken('hang'))];
    const c = client(hanging.map((h) => h.url), 400);
    const started = Date.now();
    await expect(c.search({ index: 'x', body: {} })).rejects.toBeInstanceOf(errors.TimeoutError);
    // Three attempts of 400 ms each would take 1.2 s; one shared deadline ends at ~0.4 s.
    expect(Date.now() - started).toBeLessThan(1100);
  });

  it('does not retry a 429 (an overloaded cluster gets no retry storm)', async () => {
    const busy = track(await answering(429));
    const live = track(await answering());
    const c = client([busy.url, live.url]);
    await expect(c.search({ index: 'x', body: {} })).rejects.toMatchObject({ statusCode: 429 });
    expect(busy.hits).toEqual(['POST /x/_search']);
    expect(live.hits).toEqual([]);
  });

  it('uses a node again once it answers its ping', async () => {
    const first = track(await answering());
    const port = first.port;
    const live = track(await answering());
    const c = client([first.url, live.url]);
    (c.connectionPool as unknown as { resurrectTimeout: number }).resurrectTimeout = 50;
    await first.close();
    standIns.splice(standIns.indexOf(first), 1);
    await c.search({ index: 'x', body: {} }); // refused by the first node, answered by the second
    expect(deadIds(c)).toEqual([`http://127.0.0.1:${port}/`]);
    const back = track(await answering(200, port));
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 4; i += 1) await c.search({ index: 'x', body: {} });
    expect(deadIds(c)).toEqual([]);
    expect(back.hits).toContain('HEAD /');
    expect(back.hits.filter((h) => h === 'POST /x/_search').length).toBeGreaterThanOrEqual(1);
  });
});

describe('isReadRequest', () => {
  it.each([
    ['GET', '/ods-catalog/_doc/movies', true],
    ['HEAD', '/', true],
    ['POST', '/ods-records-movies/_search', true],
    ['POST', '/_search', true],
    ['POST', '/ods-records-movies/_count', true],
    ['POST', '/_mget', true],
    ['POST', '/ods-records-movies/_search/point_in_time', true],
    ['DELETE', '/_search/point_in_time', true],
    ['POST', '/_bulk', false],
    ['PUT', '/ods-catalog/_doc/movies', false],
    ['POST', '/ods-records-movies/_delete_by_query', false],
    ['DELETE', '/ods-records-movies.1', false],
    ['POST', '/ods-records-movies/_searchable_snapshot', false],
  ])('%s %s → %s', (method, path, expected) => {
    expect(isReadRequest(method, path)).toBe(expected);
  });
});
