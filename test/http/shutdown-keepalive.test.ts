/**
 * SIGTERM under a keep-alive load (main.ts, src/http/lifecycle.ts, src/http/server-drain.ts): eight
 * clients each reuse one connection in a loop while the gateway stops. No client may get a reset
 * (ECONNRESET, "socket hang up": a request sent on a connection the gateway closed); every response
 * to a request sent during the drain says `Connection: close`; new connections are refused.
 */
import http from 'node:http';
import { start } from '../../src/main';

interface Outcome {
  ok: number;
  closeSaid: number;
  resets: number;
  refused: number;
  other: string[];
}

function get(agent: http.Agent, port: number, path: string): Promise<http.IncomingMessage & { body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(Object.assign(res, { body })));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('stopping under a keep-alive load', () => {
  it('resets no client: responses during the drain say Connection: close, then connections are refused', async () => {
    const { server, stop } = await start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPENSEARCH_URL: 'http://127.0.0.1:1', SHUTDOWN_TIMEOUT_MS: '10000' });
    const port = (server.address() as { port: number }).port;
    let stopBegun = false;
    const outcome: Outcome = { ok: 0, closeSaid: 0, resets: 0, refused: 0, other: [] };
    const worker = async (): Promise<void> => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < 5000; i += 1) {
          try {
            const sentDuringDrain = stopBegun;
            const res = await get(agent, port, '/healthz');
            outcome.ok += 1;
            if (sentDuringDrain && res.headers.connection === 'close') outcome.closeSaid += 1;
            if (sentDuringDrain && res.headers.connection !== 'close') outcome.other.push(`keep-alive answer during the drain: ${res.headers.connection}`);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'ECONNREFUSED') {
              outcome.refused += 1;
              return;
            }
            if (code === 'ECONNRESET' || /socket hang up/.test((e as Error).message)) outcome.resets += 1;
            else outcome.other.push(String(code ?? (e as Error).message));
          }
        }
      } finally {
        agent.destroy();
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    await new Promise((r) => setTimeout(r, 300));
    const stopping = stop();
    stopBegun = true;
    await load;
    await stopping;
    expect(outcome.resets).toBe(0);
    expect(outcome.other).toEqual([]);
    expect(outcome.ok).toBeGreaterThan(8);
    expect(outcome.closeSaid).toBeGreaterThan(0);
    expect(outcome.refused).toBe(8); // every client ended on a refused connection, none on a reset
  });
});
