import { describe, expect, it } from 'vitest';
import { BreakerRegistry } from './breaker-registry';
import { type BreakerTransition, CircuitBreaker } from './circuit-breaker';

class FakeClock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
}

const setup = (opts: ConstructorParameters<typeof CircuitBreaker>[1] = {}) => {
  const clock = new FakeClock();
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker('mock/mock-smart', { failureThreshold: 3, openMs: 1_000, ...opts }, clock, (t) => transitions.push(t));
  const fail = (n: number) => {
    for (let i = 0; i < n; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure();
    }
  };
  return { clock, transitions, breaker, fail };
};

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and fails fast with a retry-after while open', () => {
    const { clock, breaker, fail } = setup();
    fail(2);
    breaker.onSuccess(); // a success in between resets the streak
    fail(2);
    expect(breaker.state()).toBe('closed');
    fail(1);
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(1_000);
    clock.t += 400;
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(600);
  });

  it('half-opens after the cooldown, lets one probe through, and closes when it succeeds', () => {
    const { clock, breaker, fail } = setup();
    fail(3);
    clock.t += 999;
    expect(breaker.state()).toBe('open');
    clock.t += 1;
    expect(breaker.state()).toBe('half_open');
    expect(breaker.retryAfterMs()).toBe(0);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onSuccess();
    expect(breaker.state()).toBe('closed');
    for (let i = 0; i < 20; i++) expect(breaker.tryAcquire()).toBe(true);
  });

  it('re-opens on a failed probe with the cooldown doubled up to maxOpenMs, and resets it once closed', () => {
    const { clock, breaker, fail } = setup({ maxOpenMs: 3_000 });
    fail(3);
    const failProbe = (expectedCooldown: number) => {
      clock.t += breaker.retryAfterMs();
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure();
      expect(breaker.state()).toBe('open');
      expect(breaker.retryAfterMs()).toBe(expectedCooldown);
    };
    failProbe(2_000);
    failProbe(3_000);
    failProbe(3_000);
    clock.t += 3_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onSuccess();
    fail(3);
    expect(breaker.retryAfterMs()).toBe(1_000);
  });

  it('gives the probe slot back when the probe is cancelled', () => {
    const { clock, breaker, fail } = setup();
    fail(3);
    clock.t += 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onCancel();
    expect(breaker.state()).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('allows as many concurrent probes as halfOpenProbes', () => {
    const { clock, breaker, fail } = setup({ halfOpenProbes: 2 });
    fail(3);
    clock.t += 1_000;
    expect([breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire()]).toEqual([true, true, false]);
  });

  it('ignores late outcomes of calls that were in flight when it opened', () => {
    const { breaker, fail } = setup();
    fail(3);
    breaker.onSuccess();
    breaker.onFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.retryAfterMs()).toBe(1_000);
  });

  it('emits every transition in order, with the time and the reason', () => {
    const { clock, transitions, breaker, fail } = setup();
    const start = clock.t;
    fail(3);
    clock.t += 1_500;
    breaker.tryAcquire();
    breaker.onFailure();
    clock.t += 2_000;
    breaker.tryAcquire();
    breaker.onSuccess();
    expect(transitions).toEqual([
      { key: 'mock/mock-smart', from: 'closed', to: 'open', at: start, reason: '3 consecutive failures' },
      { key: 'mock/mock-smart', from: 'open', to: 'half_open', at: start + 1_000, reason: 'cooldown of 1000 ms elapsed' },
      { key: 'mock/mock-smart', from: 'half_open', to: 'open', at: start + 1_500, reason: 'probe failed; next probe in 2000 ms' },
      { key: 'mock/mock-smart', from: 'open', to: 'half_open', at: start + 3_500, reason: 'cooldown of 2000 ms elapsed' },
      { key: 'mock/mock-smart', from: 'half_open', to: 'closed', at: start + 3_500, reason: 'probe succeeded' },
    ]);
  });

  it('opens on the failure rate over the window once it holds minRequests outcomes', () => {
    const { breaker, transitions } = setup({ failureThreshold: 100, failureRateThreshold: 0.5, minRequests: 10, windowMs: 10_000 });
    for (let i = 0; i < 4; i++) {
      breaker.onSuccess();
      breaker.onFailure();
    }
    breaker.onSuccess();
    expect(breaker.state()).toBe('closed'); // 4 of 9: below minRequests
    breaker.onFailure();
    expect(breaker.state()).toBe('open');
    expect(transitions[0]?.reason).toBe('5 of 10 calls failed within 10000 ms');
  });

  it('forgets failures older than the window', () => {
    const { clock, breaker } = setup({ failureThreshold: 100, minRequests: 4, windowMs: 10_000 });
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    clock.t += 11_000;
    breaker.onSuccess();
    breaker.onSuccess();
    breaker.onSuccess();
    breaker.onFailure();
    expect(breaker.state()).toBe('closed'); // 1 of 4 in the window, not 3 of 7
  });

  it('stays closed below the failure rate', () => {
    const { breaker } = setup({ failureThreshold: 100, failureRateThreshold: 0.5, minRequests: 10 });
    for (let i = 0; i < 50; i++) {
      breaker.onSuccess();
      breaker.onSuccess();
      breaker.onFailure();
    }
    expect(breaker.state()).toBe('closed');
  });

  it('rejects nonsense options', () => {
    expect(() => new CircuitBreaker('k', { failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker('k', { openMs: -1 })).toThrow(RangeError);
    expect(() => new CircuitBreaker('k', { failureRateThreshold: 1.5 })).toThrow(RangeError);
  });
});

describe('BreakerRegistry', () => {
  it('keeps one breaker per key, reports their states and fans transitions out until unsubscribed', () => {
    const registry = new BreakerRegistry({ failureThreshold: 1, openMs: 1_000 }, new FakeClock());
    const seen: string[] = [];
    const unsubscribe = registry.onTransition((t) => seen.push(`${t.key}:${t.to}`));
    expect(registry.get('a/x')).toBe(registry.get('a/x'));
    registry.get('a/x').onFailure();
    registry.get('b/y');
    expect(registry.snapshot()).toEqual([
      { key: 'a/x', state: 'open' },
      { key: 'b/y', state: 'closed' },
    ]);
    unsubscribe();
    registry.get('b/y').onFailure();
    expect(seen).toEqual(['a/x:open']);
  });
});
