import { describe, expect, it } from 'vitest';
import { BreakerRegistry, MAX_BREAKERS } from './breaker-registry';
import { LimiterRegistry, MAX_LIMITERS } from './concurrency-limiter';

/** Registry keys include model names a caller may choose: the maps must not grow without bound. */
describe('bounded registries', () => {
  it('forgets closed breakers past the cap but keeps an open one', () => {
    const breakers = new BreakerRegistry({ failureThreshold: 1 });
    const open = breakers.get('org|mock/flaky');
    open.tryAcquire();
    open.onFailure();
    expect(open.state()).toBe('open');
    for (let i = 0; i < MAX_BREAKERS + 50; i++) breakers.get(`org|mock/model-${i}`);
    expect(breakers.size).toBeLessThanOrEqual(MAX_BREAKERS);
    expect(breakers.get('org|mock/flaky')).toBe(open);
  });

  it('forgets idle limiters past the cap but keeps one with calls in flight', () => {
    const limiters = new LimiterRegistry({ limit: 1, queueSize: 0, queueTimeoutMs: 10 });
    const busy = limiters.get('org|mock/busy');
    expect(busy.tryAcquire()).not.toBeNull();
    for (let i = 0; i < MAX_LIMITERS + 50; i++) limiters.get(`org|mock/model-${i}`);
    expect(limiters.size).toBeLessThanOrEqual(MAX_LIMITERS);
    expect(limiters.get('org|mock/busy')).toBe(busy);
  });
});
