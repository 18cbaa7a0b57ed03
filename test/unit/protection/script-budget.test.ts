import { scriptBudget } from '../../../src/protection/script-budget';

describe('scriptBudget', () => {
  const setup = (overall = 4, perIdentity = 2, knownShapes = 3) => {
    const clock = { now: 0 };
    return { clock, budget: scriptBudget({ overall, perIdentity, windowMs: 300_000, knownShapes, clock: () => clock.now }) };
  };

  it('lets each caller compile perIdentity new shapes per window, then interprets', () => {
    const { budget } = setup();
    const a = budget.policyFor('ip:a');
    expect([a('s1'), a('s2'), a('s3'), a('s4')]).toEqual([true, true, false, false]);
    // A shape already compiled is free, for anyone.
    expect(a('s1')).toBe(true);
    expect(budget.policyFor('ip:b')('s2')).toBe(true);
  });

  it('caps the whole process at `overall` new shapes per window', () => {
    const { budget } = setup(3, 2);
    expect([budget.policyFor('ip:a')('a1'), budget.policyFor('ip:a')('a2'), budget.policyFor('ip:b')('b1'), budget.policyFor('ip:c')('c1')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('starts a new window after windowMs', () => {
    const { budget, clock } = setup(1, 1);
    const a = budget.policyFor('ip:a');
    expect([a('x'), a('y')]).toEqual([true, false]);
    clock.now = 299_999;
    expect(a('y')).toBe(false);
    clock.now = 300_000;
    expect(a('y')).toBe(true);
  });

  it('forgets the least recently used shape past knownShapes (the node evicts it too)', () => {
    const { budget } = setup(5, 5, 3);
    const p = budget.policyFor('ip:a');
    for (const s of ['s1', 's2', 's3']) p(s);
    p('s1'); // used again: s2 is now the least recently used
    p('s4'); // a 4th shape: s2 is forgotten (4 of the 5 new shapes spent)
    p('s5'); // the 5th and last new shape: s3 is forgotten
    expect([p('s1'), p('s4'), p('s5')]).toEqual([true, true, true]);
    // Forgotten shapes are new again, and the budget is spent.
    expect([p('s2'), p('s3')]).toEqual([false, false]);
  });
});
