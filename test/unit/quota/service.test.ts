/**
 * The quota decisions over the in-process store (pure and fast), and the failure path over a real
 * ioredis client that has no connection (what rate-limiter-flexible sees when Redis is down).
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { QuotaService, isQuotaIdentity, type QuotaDecision } from '../../../src/quota/service';
import { consumeCount, memoryQuotaStore, QuotaStoreError, redisQuotaStore, type QuotaStore } from '../../../src/quota/store';
import { settings } from '../../helpers/quota-settings';

const T0 = Date.UTC(2026, 0, 26, 15, 0, 0);

/** Counts the calls a store receives (to show what is and is not asked of it). */
function counting(store: QuotaStore): QuotaStore & { calls: string[] } {
  const calls: string[] = [];
  return {
    ...store,
    calls,
    take: (k, t) => (calls.push(`take ${k}`), store.take(k, t)),
    giveBack: (k, t) => (calls.push(`giveBack ${k}`), store.giveBack(k, t)),
  };
}

function service(over = {}, store: QuotaStore = memoryQuotaStore(), now = () => T0) {
  const decisions: QuotaDecision[] = [];
  let storeErrors = 0;
  const s = new QuotaService({
    store,
    settings: settings(over),
    now,
    observer: { decision: (d) => decisions.push(d), storeError: () => (storeErrors += 1) },
  });
  return { s, decisions, storeErrors: () => storeErrors };
}

/** A real ioredis client that never connected: every command fails at once (not ready). */
function disconnectedRedis(): Redis {
  return new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
}

describe('rate-limiter-flexible: a RateLimiterRes rejection is a count, an Error is a store failure', () => {
  it('reads the count out of a RateLimiterRes rejection', async () => {
    const limiter = new RateLimiterMemory({ points: 1, duration: 60 });
    expect(await consumeCount(limiter, 'k', 1, 60)).toBe(1);
    // The limiter itself rejects (over its own points) with a RateLimiterRes: still a count, not an error.
    expect(await consumeCount(limiter, 'k', 1, 60)).toBe(2);
    expect(await consumeCount(limiter, 'k', -1, 60)).toBe(1);
  });

  it('turns a store Error into a QuotaStoreError', async () => {
    const redis = disconnectedRedis();
    const limiter = new RateLimiterRedis({ storeClient: redis, points: 10, duration: 60, rejectIfRedisNotReady: true });
    await expect(consumeCount(limiter, 'k', 1, 60)).rejects.toBeInstanceOf(QuotaStoreError);
    redis.disconnect();
  });
});

describe('QuotaService decisions (in-process store)', () => {
  it('admits up to the limit, then refuses without counting the refusals', async () => {
    const { s, decisions } = service({ anonymousDailyLimit: 2 });
    const outcomes = [];
    for (let i = 0; i < 5; i += 1) outcomes.push((await s.check('ip:1.2.3.4', 'anonymous')).outcome);
    expect(outcomes).toEqual(['allowed', 'allowed', 'rejected', 'rejected', 'rejected']);
    expect((await s.usage('ip:1.2.3.4')).used).toBe(2);
    expect(decisions.map((d) => d.headers.remaining)).toEqual([1, 0, 0, 0, 0]);
    expect(decisions[2]!.rejection).toEqual({
      layer: 'identity',
      principal: 'anonymous',
      callLimit: 2,
      resetTime: '2026-01-27T00:00:00Z',
      retryAfterSeconds: 9 * 3600,
    });
    expect(decisions[0]!.headers.reset).toBe(Date.UTC(2026, 0, 27) / 1000);
  });

  it('uses the user limit for users and the anonymous one for IPs', async () => {
    const { s } = service({ anonymousDailyLimit: 3, userDailyLimit: 30 });
    expect((await s.check('user:alice', 'user')).headers).toMatchObject({ limit: 30, remaining: 29 });
    expect((await s.check('ip:::1', 'anonymous')).headers).toMatchObject({ limit: 3, remaining: 2 });
  });

  it('refuses everything with a limit of 0', async () => {
    const { s } = service({ anonymousDailyLimit: 0 });
    const d = await s.check('ip:1.2.3.4', 'anonymous');
    expect(d.outcome).toBe('rejected');
    expect(d.headers).toMatchObject({ limit: 0, remaining: 0 });
  });

  it('asks the store only once per refused identity and day (a refusal is final unless the limit rises)', async () => {
    const store = counting(memoryQuotaStore());
    const { s } = service({ userDailyLimit: 1 }, store);
    await s.check('user:a', 'user');
    await s.check('user:a', 'user'); // refused by the store: take + giveBack
    const before = store.calls.length;
    for (let i = 0; i < 10; i += 1) expect((await s.check('user:a', 'user')).outcome).toBe('rejected');
    expect(store.calls.length).toBe(before);
    await s.setOverride('user:a', 2);
    expect((await s.check('user:a', 'user')).outcome).toBe('allowed');
  });

  it('starts a new count at midnight UTC', async () => {
    let now = Date.UTC(2026, 0, 26, 23, 59, 59, 900);
    const { s } = service({ anonymousDailyLimit: 1 }, memoryQuotaStore(), () => now);
    expect((await s.check('ip:x', 'anonymous')).outcome).toBe('allowed');
    expect((await s.check('ip:x', 'anonymous')).outcome).toBe('rejected');
    now = Date.UTC(2026, 0, 27, 0, 0, 0, 100);
    const d = await s.check('ip:x', 'anonymous');
    expect(d.outcome).toBe('allowed');
    expect(d.headers.remaining).toBe(0);
    expect(d.day).toBe('2026-01-27');
  });

  it('charges the domain only for calls within their own quota, and gives both back on a domain refusal', async () => {
    const { s } = service({ userDailyLimit: 2, domainDailyLimit: 3 });
    expect((await s.check('user:a', 'user')).outcome).toBe('allowed');
    expect((await s.check('user:a', 'user')).outcome).toBe('allowed');
    expect((await s.check('user:a', 'user')).rejection?.layer).toBe('identity');
    expect((await s.domainUsage()).used).toBe(2);
    expect((await s.check('user:b', 'user')).outcome).toBe('allowed');
    const refused = await s.check('user:b', 'user');
    expect(refused.rejection).toMatchObject({ layer: 'domain', callLimit: 3 });
    expect(refused.headers).toMatchObject({ limit: 3, remaining: 0 });
    expect((await s.usage('user:b')).used).toBe(1);
    expect((await s.domainUsage()).used).toBe(3);
  });

  it('reports usage, overrides and the top consumers', async () => {
    const { s } = service({ anonymousDailyLimit: 10 });
    for (let i = 0; i < 3; i += 1) await s.check('ip:a', 'anonymous');
    await s.check('ip:b', 'anonymous');
    await s.setOverride('ip:b', 100);
    expect(await s.usage('ip:b')).toEqual({
      identity: 'ip:b',
      day: '2026-01-26',
      used: 1,
      limit: 100,
      remaining: 99,
      reset_time: '2026-01-27T00:00:00Z',
      override: 100,
    });
    expect(await s.top(10)).toEqual({ day: '2026-01-26', top: [{ identity: 'ip:a', calls: 3 }, { identity: 'ip:b', calls: 1 }] });
    expect(await s.top(1)).toEqual({ day: '2026-01-26', top: [{ identity: 'ip:a', calls: 3 }] });
    expect(await s.overrides()).toEqual({ 'ip:b': 100 });
    await s.setOverride('ip:b', undefined);
    expect((await s.usage('ip:b')).override).toBeNull();
  });
});

describe('QuotaService when the store fails (a real, unconnected ioredis client)', () => {
  it('fail-open: admits within the insurance share of the limit, then refuses with the quota body', async () => {
    const redis = disconnectedRedis();
    const { s, decisions, storeErrors } = service(
      { anonymousDailyLimit: 10, failOpenPercent: 20 },
      redisQuotaStore(redis, { prefix: 'never', timeoutMs: 200 }),
    );
    const outcomes = [];
    for (let i = 0; i < 4; i += 1) outcomes.push((await s.check('ip:a', 'anonymous')).outcome);
    expect(outcomes).toEqual(['fail_open', 'fail_open', 'rejected', 'rejected']);
    expect(decisions[2]!.rejection).toMatchObject({ layer: 'identity', callLimit: 10 });
    // The real limit in X-RateLimit-Limit; Remaining counts down the insurance share (2).
    expect(decisions.map((d) => d.headers.remaining)).toEqual([1, 0, 0, 0]);
    for (const d of decisions) expect(d.headers.limit).toBe(10);
    expect(storeErrors()).toBeGreaterThanOrEqual(4);
    redis.disconnect();
  });

  it('fail-closed: every call is refused as fail_closed (503), never as over quota', async () => {
    const redis = disconnectedRedis();
    const { s } = service({ anonymousDailyLimit: 10, failurePolicy: 'closed' }, redisQuotaStore(redis, { prefix: 'never', timeoutMs: 200 }));
    for (let i = 0; i < 3; i += 1) {
      const d = await s.check('ip:a', 'anonymous');
      expect(d.outcome).toBe('fail_closed');
      expect(d.rejection).toBeUndefined();
      expect(d.headers).toMatchObject({ limit: 10, remaining: 0 });
    }
    await expect(s.usage('ip:a')).rejects.toBeInstanceOf(QuotaStoreError);
    redis.disconnect();
  });
});

it.each([
  ['user:alice', true],
  ['ip:203.0.113.7', true],
  ['ip:::ffff:127.0.0.1', true],
  ['alice', false],
  ['user:', false],
  ['user:a b', false],
  ['key:abc', false],
])('recognises the identity %j', (s, ok) => {
  expect(isQuotaIdentity(s)).toBe(ok);
});
