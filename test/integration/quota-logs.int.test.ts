/**
 * Quota logs say what happened (a store failure and the policy applied; overrides set) and never
 * carry a secret or a store key: no admin or metrics token, no Redis key, no connection string.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createLogger } from '../../src/logger';
import { inMemoryAuth } from '../../src/auth/services';
import { sha256 } from '../../src/auth/secrets';
import { createMetrics } from '../../src/metrics/metrics';
import { redisQuotaStore } from '../../src/quota/store';
import { DATASET_PATH, quotaService, testApp } from '../helpers/quota-support';

const ADMIN = 'admin-secret-token-0123456789';
const METRICS = 'metrics-secret-token-0123456789';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: createLogger('debug', stream), text: () => lines.join('') };
}

it('logs store failures and admin changes without secrets or keys', async () => {
  const { logger, text } = capture();
  const down = new Redis('redis://:redis-password-xyz@127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const quota = quotaService(redisQuotaStore(down, { prefix: 'secretprefix:quota', timeoutMs: 200 }), {}, { logger });
  const auth = inMemoryAuth();
  await auth.identity.putUser({ username: 'alice' });
  const { key } = await auth.identity.createApiKey({ username: 'alice' });
  const token = 'some-user-token-0123456789';
  await auth.tokens.issue({
    grant: { grantId: 'g1', clientId: 'c1', username: 'alice', scope: '' },
    accessHash: sha256(token),
    accessTtlSeconds: 3600,
    refreshHash: sha256('refresh-token-xyz'),
    refreshTtlSeconds: 3600,
  });
  const app = testApp({ quota, auth, metrics: createMetrics({ defaultMetrics: false }), tokens: { admin: ADMIN, metrics: METRICS }, logger });

  await request(app).get(DATASET_PATH).set('Authorization', `Bearer ${token}`).expect(200);
  await request(app).get(DATASET_PATH).query({ apikey: key }).expect(200);
  await request(app).get(DATASET_PATH).set('Authorization', `Apikey ${key}`).expect(200);
  await request(app).put('/admin/quota/overrides/user:alice').set('Authorization', `Bearer ${ADMIN}`).send({ limit: 5 }).expect(503);
  await request(app).get('/metrics').set('Authorization', `Bearer ${METRICS}`).expect(200);
  await request(app).get('/metrics').set('Authorization', 'Bearer wrong-metrics-token-000').expect(401);
  down.disconnect();

  const out = text();
  expect(out).toMatch(/quota store failed: admitting calls within the in-process insurance limit \(fail-open\)/);
  for (const secret of [ADMIN, METRICS, 'wrong-metrics-token-000', token, key, 'redis-password-xyz', 'secretprefix', ':calls:']) {
    expect(out).not.toContain(secret);
  }
});
