import { FAILURE_CATEGORIES } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { backoffDelay, shouldRetry } from './backoff';

/** mulberry32: a seeded generator so the samples are the same on every run. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('backoffDelay', () => {
  it.each([
    [0, 250],
    [1, 500],
    [3, 2_000],
    [4, 4_000],
    [40, 4_000],
  ])('attempt %i stays within [0, %i) and spreads over the whole range', (attempt, ceiling) => {
    const random = seeded(attempt + 1);
    const samples = Array.from({ length: 2_000 }, () => backoffDelay({ attempt, random }) as number);
    expect(samples.every((d) => Number.isInteger(d) && d >= 0 && d < ceiling)).toBe(true);
    expect(Math.min(...samples)).toBeLessThan(ceiling * 0.05);
    expect(Math.max(...samples)).toBeGreaterThan(ceiling * 0.95);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(Math.abs(mean - ceiling / 2)).toBeLessThan(ceiling * 0.05);
  });

  it('stays below the cap even when random() is at its top', () => {
    expect(backoffDelay({ attempt: 10, random: () => 0.999_999_9 })).toBe(3_999);
  });

  it('waits at least retry-after seconds, plus at most 10 % jitter', () => {
    const random = seeded(7);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay({ attempt: 0, retryAfter: '2', random }) as number;
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(2_200);
    }
  });

  it('honours retry-after as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const delay = backoffDelay({ attempt: 0, retryAfter: 'Thu, 01 Jan 2026 00:00:03 GMT', now, random: () => 0 });
    expect(delay).toBe(3_000);
  });

  it('falls back to plain backoff for an HTTP date in the past or an unreadable value', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(backoffDelay({ attempt: 0, retryAfter: 'Wed, 31 Dec 2025 23:59:00 GMT', now, random: () => 0.5 })).toBe(125);
    expect(backoffDelay({ attempt: 0, retryAfter: 'soon', random: () => 0.5 })).toBe(125);
    expect(backoffDelay({ attempt: 0, retryAfter: '-3', random: () => 0.5 })).toBe(125);
  });

  it('honours retry-after-ms, preferring it over retry-after', () => {
    expect(backoffDelay({ attempt: 0, retryAfterMs: '1500', random: () => 0 })).toBe(1_500);
    expect(backoffDelay({ attempt: 0, retryAfterMs: '1500', random: () => 0.999 })).toBeLessThanOrEqual(1_650);
    expect(backoffDelay({ attempt: 0, retryAfterMs: '300', retryAfter: '7', random: () => 0 })).toBe(300);
  });

  it('returns null (fall back, do not retry here) when the provider asks for longer than maxDelayMs', () => {
    expect(backoffDelay({ attempt: 0, retryAfter: '9' })).toBeNull();
    expect(backoffDelay({ attempt: 0, retryAfterMs: '8001' })).toBeNull();
    expect(backoffDelay({ attempt: 0, retryAfter: '9', maxDelayMs: 10_000, random: () => 0 })).toBe(9_000);
  });

  it('never exceeds maxDelayMs, jitter included', () => {
    expect(backoffDelay({ attempt: 0, retryAfter: '8', random: () => 0.999 })).toBe(8_000);
    expect(backoffDelay({ attempt: 5, capMs: 20_000, maxDelayMs: 1_000, random: () => 0.999 })).toBe(1_000);
  });
});

describe('shouldRetry', () => {
  const retryable = ['rate_limit', 'overloaded', 'server_error', 'timeout', 'connection'];

  it.each(FAILURE_CATEGORIES.map((c) => [c, retryable.includes(c)] as const))('%s without x-should-retry → %s', (category, expected) => {
    expect(shouldRetry(category, null)).toBe(expected);
    expect(shouldRetry(category, undefined)).toBe(expected);
    expect(shouldRetry(category, 'maybe')).toBe(expected);
  });

  it.each(FAILURE_CATEGORIES)('x-should-retry overrides the category for %s', (category) => {
    expect(shouldRetry(category, 'true')).toBe(true);
    expect(shouldRetry(category, ' TRUE ')).toBe(true);
    expect(shouldRetry(category, 'false')).toBe(false);
  });

  it('does not retry a category it does not know', () => {
    expect(shouldRetry('something_new', null)).toBe(false);
  });
});
