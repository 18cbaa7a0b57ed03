/**
 * Decisions of the security review (docs/security.md, "Decisions"), each pinned:
 * - an access token in the form body of a GET is refused (RFC 6750 §2.2), in a POST body accepted;
 * - a push key is checked before the push body is read (a caller without a key never makes the
 *   gateway read 5 MB);
 * - /metrics stays open unless METRICS_TOKEN is set, and says nothing of who called (counts only).
 * PKCE `plain` (refused) is pinned in oauth2.test.ts (A10); 503 bodies that do not name the
 * backend's exception in quota-backend-overload.test.ts.
 */
import { connect } from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { authFixture, tokensFor } from '../helpers/auth';
import { pushApp } from '../helpers/push-app';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import { createMetrics } from '../../src/metrics/metrics';
import { memoryQuotaStore, quotaService } from '../helpers/quota-support';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor } from '../fixtures/datasets/cities';
import type { Backend } from '../../src/opensearch/backend';

describe('access_token in a form body', () => {
  it('is refused on GET (400 invalid_request) and accepted on POST', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor);
    const f = await authFixture({ backend });
    const { access_token: token } = await tokensFor(f);
    const get = await request(f.app).get('/api/datasets/1.0/cities/').type('form').send(`access_token=${token}`);
    expect(get.status).toBe(400);
    expect(get.headers['www-authenticate']).toBe('Bearer realm="ods", error="invalid_request"');
    expect(get.body.error).toMatch(/not in a body/);
    const post = await request(f.app).post('/api/datasets/1.0/cities/').type('form').send(`access_token=${token}`);
    expect(post.status).toBe(200);
  });
});

describe('push bodies', () => {
  it('When the push key is not valid, then the gateway answers 401 without waiting for the body', async () => {
    const p = await pushApp();
    const server = http.createServer(p.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        socket.on('data', (c) => {
          text += c.toString();
          if (text.includes('\r\n\r\n') && text.includes('}')) resolve(text);
        });
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
        // Announces 5 MB and sends none of it.
        socket.write('POST /api/push/1.0/sensors/live/push/?pushkey=pk_wrong HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n');
        setTimeout(() => {
          socket.destroy();
          resolve(text);
        }, 3000);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 401/);
      expect(answer).toContain('Push key is not valid for dataset sensors, resource live');
      // With the right key, the body is read and pushed as before.
      const ok = await request(p.app).post(`/api/push/1.0/sensors/live/push/?pushkey=${p.key}`).send({ station: 'a', value: 1 });
      expect(ok.status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await p.cleanup();
    }
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  it('is open (kept: Prometheus scrapes it on a private network) and names no caller, key or address', async () => {
    const backend = fakeBackend();
    backend.addDataset(citiesDescriptor);
    const f = await authFixture({ backend });
    const metrics = createMetrics({ defaultMetrics: false });
    const app = createApp({
      config: { trustProxy: true, maxRequestBodyBytes: 1 << 20 },
      logger: createLogger('silent'),
      backend: backend as Backend,
      registry: datasetRegistry(backend, 0),
      auth: f.auth,
      metrics,
      quota: quotaService(memoryQuotaStore(), { anonymousDailyLimit: 2, userDailyLimit: 2 }, { observer: metrics.quotaObserver }),
    });
    for (let i = 0; i < 3; i++) {
      await request(app).get('/api/datasets/1.0/cities/').set('X-Forwarded-For', '203.0.113.77');
      await request(app).get(`/api/datasets/1.0/cities/?apikey=${f.keys.alice}`);
      await request(app).get('/api/datasets/1.0/cities/?apikey=not-a-key-at-all');
    }
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('ods_quota_identities_near_limit 2');
    for (const secret of ['203.0.113.77', f.keys.alice, 'not-a-key-at-all', 'alice', 'user:', 'ip:']) expect(res.text).not.toContain(secret);
  });
});
