/**
 * docs/quotas-and-monitoring.md with real credentials: one user has ONE daily bucket whichever way
 * the credential comes (API key in the header, the query string or the body; OAuth2 access token in
 * the header, the query string or the body), apart from the caller's IP bucket.
 */
import type { Redis } from 'ioredis';
import request from 'supertest';
import { inMemoryAuth } from '../../src/auth/services';
import { sha256 } from '../../src/auth/secrets';
import { cleanKeys, DATASET_PATH, quotaService, redisClient, redisStore, testApp, uniquePrefix } from '../helpers/quota-support';

let client: Redis;
const prefix = uniquePrefix();
beforeAll(async () => {
  client = await redisClient();
});
afterAll(async () => {
  await cleanKeys(client, prefix);
  await client.quit();
});

it('counts every way of presenting the credentials of one user in one bucket', async () => {
  const auth = inMemoryAuth();
  await auth.identity.putUser({ username: 'alice' });
  const { key } = await auth.identity.createApiKey({ username: 'alice' });
  const token = 'access-token-of-alice-0123456789';
  await auth.tokens.issue({
    grant: { grantId: 'g1', clientId: 'c1', username: 'alice', scope: '' },
    accessHash: sha256(token),
    accessTtlSeconds: 3600,
    refreshHash: sha256('refresh-of-alice'),
    refreshTtlSeconds: 3600,
  });
  const quota = quotaService(redisStore(client, prefix), { userDailyLimit: 6, anonymousDailyLimit: 100 });
  const app = testApp({ quota, auth });

  const answers = [
    await request(app).get(DATASET_PATH).set('Authorization', `Apikey ${key}`),
    await request(app).get(DATASET_PATH).query({ apikey: key }),
    await request(app).post(DATASET_PATH).type('form').send({ apikey: key }),
    await request(app).get(DATASET_PATH).set('Authorization', `Bearer ${token}`),
    await request(app).get(DATASET_PATH).query({ access_token: token }),
    await request(app).post(DATASET_PATH).type('form').send({ access_token: token }),
  ];
  expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  expect(answers.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['5', '4', '3', '2', '1', '0']);
  for (const r of answers) expect(r.headers['x-ratelimit-limit']).toBe('6');
  const refused = await request(app).get(DATASET_PATH).query({ apikey: key }).expect(429);
  expect(refused.body).toMatchObject({ errorcode: 10005, call_limit: 6 });

  expect((await quota.usage('user:alice')).used).toBe(6);
  // The anonymous bucket of the same machine is apart, and untouched.
  const anonymous = await request(app).get(DATASET_PATH).expect(200);
  expect(anonymous.headers['x-ratelimit-limit']).toBe('100');
  expect(anonymous.headers['x-ratelimit-remaining']).toBe('99');
  const top = (await quota.top(10)).top;
  expect(top).toHaveLength(2);
  expect(top).toContainEqual({ identity: 'user:alice', calls: 6 });
  expect(top).toContainEqual({ identity: expect.stringMatching(/^ip:/), calls: 1 });
});
