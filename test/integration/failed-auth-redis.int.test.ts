/**
 * Failed authentications counted in the real Redis (src/protection/failed-auth.ts): two limiters on
 * two connections, like two gateway replicas, share one count per IP; a key prefix of its own keeps
 * deployments (and test runs) apart.
 */
import type { Redis } from 'ioredis';
import { failedAuthLimiter } from '../../src/protection/failed-auth';
import { cleanKeys, redisClient, uniquePrefix } from '../helpers/quota-support';

const prefix = uniquePrefix();
const clients: Redis[] = [];

afterAll(async () => {
  if (clients[0]) await cleanKeys(clients[0], prefix);
  for (const c of clients) await c.quit();
});

it('When two replicas count failures of one IP, then the IP is blocked at the limit on both, and another IP is not', async () => {
  const [a, b] = [await redisClient(), await redisClient()];
  clients.push(a, b);
  const one = failedAuthLimiter({ limit: 4, windowSeconds: 60, redis: a, keyPrefix: `${prefix}:authfail` });
  const two = failedAuthLimiter({ limit: 4, windowSeconds: 60, redis: b, keyPrefix: `${prefix}:authfail` });
  await one.fail('10.9.0.1');
  await two.fail('10.9.0.1');
  await one.fail('10.9.0.1');
  expect(await two.blockedFor('10.9.0.1')).toBe(0);
  await two.fail('10.9.0.1');
  for (const replica of [one, two]) {
    const seconds = await replica.blockedFor('10.9.0.1');
    expect(seconds).toBeGreaterThan(50);
    expect(seconds).toBeLessThanOrEqual(60);
    await expect(replica.check('10.9.0.1')).rejects.toMatchObject({ status: 429, headers: { 'Retry-After': String(seconds) } });
  }
  await expect(one.check('10.9.0.2')).resolves.toBeUndefined();
  expect(await a.keys(`${prefix}:authfail*`)).toEqual([`${prefix}:authfail:10.9.0.1`]);
});
