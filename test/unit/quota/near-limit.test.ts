import { NearLimitTracker } from '../../../src/metrics/near-limit';

describe('identities near their limit (≥ 80 % used today)', () => {
  it('counts an identity once from 80 % on, and forgets it when it falls below (a raised limit)', () => {
    const t = new NearLimitTracker(() => Date.UTC(2026, 0, 26, 12));
    t.observe('ip:a', '2026-01-26', 79, 100);
    expect(t.count()).toBe(0);
    t.observe('ip:a', '2026-01-26', 80, 100);
    t.observe('ip:a', '2026-01-26', 81, 100);
    expect(t.count()).toBe(1);
    t.observe('user:b', '2026-01-26', 10, 10);
    expect(t.count()).toBe(2);
    t.observe('user:b', '2026-01-26', 11, 1000);
    expect(t.count()).toBe(1);
    t.observe('ip:c', '2026-01-26', undefined, 10); // fail-closed: nothing known
    expect(t.count()).toBe(1);
  });

  it("drops yesterday's identities at midnight", () => {
    let now = Date.UTC(2026, 0, 26, 23, 59);
    const t = new NearLimitTracker(() => now);
    t.observe('ip:a', '2026-01-26', 9, 10);
    expect(t.count()).toBe(1);
    now = Date.UTC(2026, 0, 27, 0, 1);
    expect(t.count()).toBe(0);
  });

  it('keeps bounded memory: past maxTracked it saturates', () => {
    const t = new NearLimitTracker(() => Date.UTC(2026, 0, 26), 0.8, 3);
    for (let i = 0; i < 10; i += 1) t.observe(`ip:${i}`, '2026-01-26', 10, 10);
    expect(t.count()).toBe(3);
  });
});
