/**
 * Bounds on downloads (src/protection/download-slots.ts) through the app, over the fake backend:
 * concurrent downloads per caller and in all (429 / 503 with Retry-After, no point-in-time opened),
 * and a download cut past DOWNLOAD_MAX_SECONDS even while its client reads, its point-in-time
 * deleted and its slot given back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { createProtection, type ProtectionConfig } from '../../src/protection';
import type { StoredRecord } from '../../src/responses/record';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';

const endless = (from: number, size: number): StoredRecord[] =>
  Array.from({ length: size }, (_, i) => ({ recordid: `r${from + i}`, fields: { name: `City number ${from + i} ${'x'.repeat(200)}`, population: from + i } }));

async function listen(config: ProtectionConfig): Promise<{ backend: FakeBackend; port: number; close: () => Promise<void> }> {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor);
  backend.pitSource = (_id, from, size) => endless(from, size);
  const app = createApp({
    config: { trustProxy: true, maxRequestBodyBytes: 1 << 20, downloadPageSize: 100 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    protection: createProtection(config),
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    backend,
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  req: http.ClientRequest;
  ended: Promise<{ bytes: number; error?: string; body: string }>;
}

function download(port: number, ip: string, read: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ port, path: '/api/records/1.0/download/?dataset=cities&format=csv', headers: { 'X-Forwarded-For': ip }, agent: false }, (res) => {
      if (!read && res.statusCode === 200) res.pause();
      let bytes = 0;
      let body = '';
      const ended = new Promise<{ bytes: number; error?: string; body: string }>((r) => {
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (body.length < 1000) body += c.toString();
        });
        res.on('end', () => r({ bytes, body }));
        res.on('error', (e) => r({ bytes, body, error: e.message }));
        req.on('error', (e) => r({ bytes, body, error: e.message }));
      });
      resolve({ status: res.statusCode ?? 0, headers: res.headers, req, ended });
    });
    req.on('error', reject);
  });
}

describe('concurrent downloads', () => {
  it('When a caller holds DOWNLOAD_MAX_PER_IDENTITY downloads, then its next one is a 429; past DOWNLOAD_MAX_CONCURRENT, anyone gets a 503', async () => {
    const gw = await listen({ downloadMaxConcurrent: 3, downloadMaxPerIdentity: 2 });
    const held: Answer[] = [];
    try {
      held.push(await download(gw.port, '10.0.0.1', false), await download(gw.port, '10.0.0.1', false));
      const third = await download(gw.port, '10.0.0.1', true);
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBe('30');
      expect(JSON.parse((await third.ended).body)).toEqual({
        errorcode: 10429,
        limit: 'DOWNLOAD_MAX_PER_IDENTITY',
        max: 2,
        error: 'Too many downloads at once: at most 2 per caller; wait for one to finish',
      });
      held.push(await download(gw.port, '10.0.0.2', false));
      const fourth = await download(gw.port, '10.0.0.3', true);
      expect(fourth.status).toBe(503);
      expect(fourth.headers['retry-after']).toBe('30');
      expect(JSON.parse((await fourth.ended).body)).toEqual({ errorcode: 10505, error: 'Too many downloads are running on this server; retry later' });
      // Refused downloads opened no point-in-time.
      expect(gw.backend.openPits.size).toBe(3);
      expect(held.map((h) => h.status)).toEqual([200, 200, 200]);
    } finally {
      for (const h of held) h.req.destroy();
      await gw.close();
    }
  });
});

describe('long downloads', () => {
  it('When a download runs past DOWNLOAD_MAX_SECONDS, then it is cut (the client sees an error, not an end), its PIT deleted and its slot free again', async () => {
    const gw = await listen({ downloadMaxSeconds: 1, downloadMaxPerIdentity: 1 });
    try {
      const started = Date.now();
      const first = await download(gw.port, '10.0.0.1', true);
      expect(first.status).toBe(200);
      const result = await first.ended;
      expect(result.error).toBeDefined();
      expect(result.bytes).toBeGreaterThan(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      for (let i = 0; i < 100 && gw.backend.openPits.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(gw.backend.openPits.size).toBe(0);
      const again = await download(gw.port, '10.0.0.1', false);
      expect(again.status).toBe(200);
      again.req.destroy();
    } finally {
      await gw.close();
    }
  });
});
