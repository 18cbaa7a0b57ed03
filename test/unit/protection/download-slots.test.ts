import { downloadSlots } from '../../../src/protection/download-slots';
import { GatewayError } from '../../../src/errors';

const errorOf = (f: () => unknown): GatewayError => {
  try {
    f();
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error('expected an error');
};

describe('downloadSlots', () => {
  it('refuses a caller past maxPerIdentity (429) and everyone past maxConcurrent (503), with Retry-After', () => {
    const slots = downloadSlots({ maxConcurrent: 3, maxPerIdentity: 2, maxSeconds: 60, idleSeconds: 10 });
    const a1 = slots.acquire('ip:a');
    slots.acquire('ip:a');
    const mine = errorOf(() => slots.acquire('ip:a'));
    expect(mine.status).toBe(429);
    expect(mine.toBody()).toMatchObject({ errorcode: 10429, limit: 'DOWNLOAD_MAX_PER_IDENTITY', max: 2 });
    expect(mine.headers).toEqual({ 'Retry-After': '30' });
    slots.acquire('ip:b');
    const all = errorOf(() => slots.acquire('ip:c'));
    expect(all.status).toBe(503);
    expect(all.toBody()).toMatchObject({ errorcode: 10505 });
    expect(all.headers).toEqual({ 'Retry-After': '30' });
    expect(slots.active()).toBe(3);
    a1.release();
    a1.release(); // idempotent
    expect(slots.active()).toBe(2);
    expect(() => slots.acquire('ip:c')).not.toThrow();
    expect(() => slots.acquire('ip:a')).toThrow(); // 3 running again
  });

  describe('guard', () => {
    beforeEach(() => jest.useFakeTimers({ now: 0 }));
    afterEach(() => jest.useRealTimers());

    const response = () => {
      const r = { writableNeedDrain: false, destroyed: 0, reset: 0, socket: { resetAndDestroy: () => void r.reset++ }, destroy: () => void r.destroyed++ };
      return r;
    };

    it('cuts a download past maxSeconds, resetting its connection', () => {
      const slot = downloadSlots({ maxConcurrent: 9, maxPerIdentity: 9, maxSeconds: 60, idleSeconds: 10 }).acquire('ip:a');
      const res = response();
      const reasons: string[] = [];
      slot.guard(res, (r) => reasons.push(r));
      jest.advanceTimersByTime(59_999);
      expect(reasons).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(reasons).toEqual(['duration']);
      expect(res.reset).toBe(1);
    });

    it('cuts a download whose response waited to drain for idleSeconds in a row, not one that drains now and then', () => {
      const slot = downloadSlots({ maxConcurrent: 9, maxPerIdentity: 9, maxSeconds: 600, idleSeconds: 4 }).acquire('ip:a');
      const res = response();
      const reasons: string[] = [];
      slot.guard(res, (r) => reasons.push(r));
      for (let i = 0; i < 10; i++) {
        res.writableNeedDrain = true;
        jest.advanceTimersByTime(3000);
        res.writableNeedDrain = false;
        jest.advanceTimersByTime(1000);
      }
      expect(reasons).toEqual([]);
      res.writableNeedDrain = true;
      jest.advanceTimersByTime(6000);
      expect(reasons).toEqual(['idle']);
      expect(res.reset).toBe(1);
    });

    it('stops watching when the download ends', () => {
      const slot = downloadSlots({ maxConcurrent: 9, maxPerIdentity: 9, maxSeconds: 1, idleSeconds: 1 }).acquire('ip:a');
      const res = response();
      const reasons: string[] = [];
      slot.guard(res, (r) => reasons.push(r))();
      jest.advanceTimersByTime(10_000);
      expect(reasons).toEqual([]);
      expect(res.reset + res.destroyed).toBe(0);
    });
  });
});
