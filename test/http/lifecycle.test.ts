/**
 * The shutdown as the request pipeline sees it (src/http/lifecycle.ts): readiness, Connection: close,
 * and the tracked work main.ts waits for before it closes its clients.
 */
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { createLifecycle } from '../../src/http/lifecycle';
import { fakeBackend } from '../helpers/fake-backend';

function app() {
  const backend = fakeBackend();
  const life = createLifecycle();
  const a = createApp({ config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 }, logger: createLogger('silent'), backend, registry: datasetRegistry(backend, 0), lifecycle: life });
  return { a, life };
}

describe('the lifecycle of the request pipeline', () => {
  it('is ready and keeps connections open until it stops; then /readyz fails and responses say Connection: close', async () => {
    const { a, life } = app();
    const before = await request(a).get('/readyz').set('Connection', 'keep-alive');
    expect(before.status).toBe(200);
    expect(before.headers.connection).toBe('keep-alive');
    life.stop();
    const after = await request(a).get('/readyz').set('Connection', 'keep-alive');
    expect(after.status).toBe(503);
    expect(after.headers['retry-after']).toBe('5');
    expect(after.body).toEqual({ status: 'stopping' });
    expect(after.headers.connection).toBe('close');
    const health = await request(a).get('/healthz').set('Connection', 'keep-alive');
    expect(health.status).toBe(200); // liveness is not readiness
    expect(health.headers.connection).toBe('close');
  });

  it('waits for tracked work, whatever its outcome, within a bound', async () => {
    const life = createLifecycle();
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    void life.track(slow);
    await expect(life.track(Promise.reject(new Error('passed through')))).rejects.toThrow('passed through');
    expect(await life.settled(30)).toBe(false);
    setTimeout(release, 20);
    expect(await life.settled(2000)).toBe(true);
    expect(await life.settled(0)).toBe(true);
  });

  it('aborts its cut signal once, when the timeout has passed', () => {
    const life = createLifecycle();
    let cuts = 0;
    life.cut.addEventListener('abort', () => (cuts += 1));
    life.stop();
    expect({ stopping: life.stopping, cut: life.cut.aborted }).toEqual({ stopping: true, cut: false });
    life.cutNow();
    life.cutNow();
    expect({ cut: life.cut.aborted, cuts }).toEqual({ cut: true, cuts: 1 });
  });
});
