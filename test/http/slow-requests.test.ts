/**
 * Slow clients (slow-loris): the server of the gateway (src/http/server.ts) gives a client
 * HTTP_REQUEST_TIMEOUT_MS to send a whole request, headers and body; slower ones get 408 and are
 * disconnected instead of holding a connection for minutes. Idle keep-alive connections and
 * long responses are not affected.
 */
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { start } from '../../src/main';

let server: Server;
let port: number;
let stop: () => Promise<void>;

beforeAll(async () => {
  // The gateway as main.ts starts it (OpenSearch unreachable: /healthz does not need it).
  ({ server, stop } = await start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPENSEARCH_URL: 'http://127.0.0.1:1', HTTP_REQUEST_TIMEOUT_MS: '1000', SHUTDOWN_TIMEOUT_MS: '1000' }));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await stop();
});

/** Opens a raw connection; resolves with what the server sent once it closes (or after `maxMs`). */
function rawClient(maxMs: number): { socket: Socket; done: Promise<{ text: string; closed: boolean; ms: number }> } {
  const socket = connect(port, '127.0.0.1');
  const started = Date.now();
  let text = '';
  const done = new Promise<{ text: string; closed: boolean; ms: number }>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false, ms: Date.now() - started });
    }, maxMs);
    socket.on('data', (c) => (text += c.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true, ms: Date.now() - started });
    });
    socket.on('error', () => undefined);
  });
  return { socket, done };
}

describe('HTTP_REQUEST_TIMEOUT_MS', () => {
  it('When a body arrives one byte at a time, then the server answers 408 and closes the connection within the timeout (plus its check interval)', async () => {
    const { socket, done } = rawClient(10_000);
    socket.write('POST /api/records/1.0/search/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n');
    const drip = setInterval(() => socket.writable && socket.write('a'), 200);
    const r = await done;
    clearInterval(drip);
    expect(r.closed).toBe(true);
    expect(r.text).toMatch(/^HTTP\/1\.1 408/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('When headers arrive one byte at a time, then the connection is closed too', async () => {
    const { socket, done } = rawClient(10_000);
    const head = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(200);
    let i = 0;
    const drip = setInterval(() => socket.writable && i < head.length && socket.write(head[i++]!), 100);
    const r = await done;
    clearInterval(drip);
    expect(r.closed).toBe(true);
    expect(r.ms).toBeLessThan(5000);
  });

  it('When a keep-alive connection idles longer than the timeout between two requests, then it still serves the second one', async () => {
    const { socket, done } = rawClient(6000);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 2500));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const r = await done;
    expect(r.text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });
});
