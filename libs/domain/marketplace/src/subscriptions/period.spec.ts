import { describe, expect, it } from 'vitest';
import { periodEnd } from './period';

describe('subscription period', () => {
  it('ends one calendar month after its start, at the same UTC time', () => {
    expect(periodEnd(new Date('2026-01-15T10:30:00.123Z')).toISOString()).toBe('2026-02-15T10:30:00.123Z');
    expect(periodEnd(new Date('2026-12-07T18:00:00Z')).toISOString()).toBe('2027-01-07T18:00:00.000Z');
  });

  it('ends on the last day of a shorter next month', () => {
    expect(periodEnd(new Date('2026-01-31T00:00:00Z')).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(periodEnd(new Date('2028-01-31T00:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(periodEnd(new Date('2026-03-31T23:59:59Z')).toISOString()).toBe('2026-04-30T23:59:59.000Z');
  });
});
