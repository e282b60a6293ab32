import { describe, expect, it } from 'vitest';
import { limitWindows } from './limit-windows';
import { rateLimitHeaders } from './rate-limit-headers';

const sub = (limits: { perSecond?: number; perMinute?: number; perDay?: number; perMonth?: number }) => ({
  subscriptionId: 'sub_1',
  periodStart: '2026-12-01T00:00:00.000Z',
  periodEnd: '2027-01-01T00:00:00.000Z',
  limits: { perSecond: null, perMinute: null, perDay: null, perMonth: null, ...limits },
});
// 2026-12-07 18:00:20 UTC
const NOW = Date.parse('2026-12-07T18:00:20.000Z');

describe('limitWindows', () => {
  it('derives each window, its reset and a key tagged with the subscription id', () => {
    const w = limitWindows(sub({ perSecond: 5, perMinute: 60, perDay: 1000, perMonth: 20000 }), NOW);
    expect(w.map((x) => [x.policy, x.limit, x.windowSeconds, x.resetSeconds])).toEqual([
      ['second', 5, 1, 1],
      ['minute', 60, 60, 40],
      ['day', 1000, 86400, 6 * 3600 - 20],
      ['month', 20000, 31 * 86400, Math.ceil((Date.parse('2027-01-01T00:00:00Z') - NOW) / 1000)],
    ]);
    for (const x of w) {
      expect(x.key).toContain('{sub_1}');
      expect(x.ttlSeconds).toBeGreaterThan(x.resetSeconds);
    }
    // The next minute is another counter; the same minute the same one.
    expect(limitWindows(sub({ perMinute: 60 }), NOW + 39_000)[0]!.key).toBe(w[1]!.key);
    expect(limitWindows(sub({ perMinute: 60 }), NOW + 40_000)[0]!.key).not.toBe(w[1]!.key);
  });

  it('leaves the quotas out for calls that match no billable operation', () => {
    expect(limitWindows(sub({ perSecond: 5, perDay: 10, perMonth: 10 }), NOW, false).map((x) => x.policy)).toEqual(['second']);
    expect(limitWindows(sub({}), NOW)).toEqual([]);
  });
});

describe('rateLimitHeaders', () => {
  const windows = limitWindows(sub({ perMinute: 60, perDay: 1000 }), NOW);

  it('lists every policy and reports the one closest to exhaustion (IETF draft syntax)', () => {
    const h = rateLimitHeaders(windows, [10, 990]);
    expect(h['ratelimit-policy']).toBe('"minute";q=60;w=60, "day";q=1000;w=86400');
    expect(h.ratelimit).toBe(`"day";r=10;t=${6 * 3600 - 20}`);
    expect(h['x-ratelimit-limit']).toBe('1000');
    expect(h['x-ratelimit-remaining']).toBe('10');
    expect(h['x-ratelimit-reset']).toBe(String(6 * 3600 - 20));
    expect(rateLimitHeaders(windows, [50, 10]).ratelimit).toBe('"minute";r=10;t=40');
  });

  it('reports the refusing policy, never a negative remaining, and nothing without limits', () => {
    expect(rateLimitHeaders(windows, [60, 0], 0).ratelimit).toBe('"minute";r=0;t=40');
    expect(rateLimitHeaders(windows, [70, 0])['x-ratelimit-remaining']).toBe('0');
    expect(rateLimitHeaders([], [])).toEqual({});
  });
});
