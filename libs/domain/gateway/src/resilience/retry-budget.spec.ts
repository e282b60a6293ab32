import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget';

class FakeClock {
  t = 0;
  now(): number {
    return this.t;
  }
}

describe('RetryBudget', () => {
  it('keeps retries within ratio × requests over a long outage (amplification bound)', () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 1 }, clock);
    let requests = 0;
    let retries = 0;
    // 100 requests a second for two minutes, every attempt failing, each trying up to 3 retries.
    for (let ms = 0; ms < 120_000; ms += 10) {
      clock.t = ms;
      budget.recordRequest();
      requests++;
      for (let attempt = 0; attempt < 3 && budget.tryRetry(); attempt++) retries++;
      const window = budget.stats();
      expect(window.retries).toBeLessThanOrEqual(0.2 * window.requests + 10);
    }
    // The floor adds at most 1 retry a second: 0.01 of 100 requests a second.
    expect(retries / requests).toBeLessThanOrEqual(0.21);
    expect(retries / requests).toBeGreaterThan(0.19); // the budget is spent, not starved
  });

  it('lets low traffic retry thanks to the per-second floor, then refuses', () => {
    const budget = new RetryBudget({ ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 1 }, new FakeClock());
    budget.recordRequest();
    const allowed = Array.from({ length: 15 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(allowed).toBe(10);
    expect(budget.stats()).toEqual({ requests: 1, retries: 10 });
  });

  it('refills as old retries leave the window', () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ ratio: 0, windowMs: 1_000, minRetriesPerSecond: 2 }, clock);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    clock.t += 1_000;
    expect(budget.stats()).toEqual({ requests: 0, retries: 0 });
    expect(budget.tryRetry()).toBe(true);
  });

  it('never retries with a zero ratio and no floor', () => {
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 0 }, new FakeClock());
    for (let i = 0; i < 100; i++) budget.recordRequest();
    expect(budget.tryRetry()).toBe(false);
  });

  it('rejects a negative ratio', () => {
    expect(() => new RetryBudget({ ratio: -0.1 })).toThrow(RangeError);
  });
});
