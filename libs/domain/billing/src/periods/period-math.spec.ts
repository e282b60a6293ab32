import { describe, expect, it } from 'vitest';
import { addMonthsClamped, nextPeriod } from './period-math';

const d = (iso: string) => new Date(iso);

describe('subscription periods', () => {
  it('are calendar months from the start, in UTC, the day clamped to short months without drifting', () => {
    const anchor = d('2027-01-31T10:00:00Z');
    expect([1, 2, 3, 13].map((n) => addMonthsClamped(anchor, n).toISOString())).toEqual([
      '2027-02-28T10:00:00.000Z',
      '2027-03-31T10:00:00.000Z',
      '2027-04-30T10:00:00.000Z',
      '2028-02-29T10:00:00.000Z',
    ]);
  });

  it('roll to the next month boundary after the current end', () => {
    const anchor = d('2026-12-07T18:00:00Z');
    expect(nextPeriod(anchor, d('2027-01-07T18:00:00Z'))).toEqual({ start: d('2027-01-07T18:00:00Z'), end: d('2027-02-07T18:00:00Z') });
    const endOfMonth = d('2027-01-31T00:00:00Z');
    expect(nextPeriod(endOfMonth, d('2027-02-28T00:00:00Z')).end).toEqual(d('2027-03-31T00:00:00Z'));
  });

  it('take the first boundary after an end that is not on one', () => {
    expect(nextPeriod(d('2026-12-01T00:00:00Z'), d('2027-01-15T00:00:00Z'))).toEqual({ start: d('2027-01-15T00:00:00Z'), end: d('2027-02-01T00:00:00Z') });
  });
});
