import { start } from '../../src/main';

describe('main: start and graceful stop', () => {
  it('listens on the configured port, serves, and stops closing the server', async () => {
    const { server, stop } = await start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPENSEARCH_URL: 'http://127.0.0.1:1', SHUTDOWN_TIMEOUT_MS: '1000' });
    const port = (server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    await stop();
    expect(server.listening).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('refuses to start with an invalid configuration, naming every bad setting', async () => {
    await expect(start({ PORT: 'x', LOG_LEVEL: 'loud' })).rejects.toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });

  it('finishes a request in flight before stopping', async () => {
    const { server, stop } = await start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPENSEARCH_URL: 'http://127.0.0.1:1', SHUTDOWN_TIMEOUT_MS: '5000' });
    const port = (server.address() as { port: number }).port;
    // /readyz waits on the (refused) OpenSearch ping; start it, then stop while it runs.
    const inFlight = fetch(`http://127.0.0.1:${port}/readyz`);
    await new Promise((r) => setTimeout(r, 20));
    const stopping = stop();
    const res = await inFlight;
    expect(res.status).toBe(503);
    await stopping;
  });
});
