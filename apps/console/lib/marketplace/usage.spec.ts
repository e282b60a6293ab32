import { describe, expect, it } from 'vitest';
import { fillPeriodDays, quotaBars, usageChartData } from './usage';

const NOW = Date.parse('2026-12-07T15:00:00Z');

describe('fillPeriodDays', () => {
  it('fills the period up to today with zero days, keeping counted ones', () => {
    const days = fillPeriodDays(
      [{ day: '2026-12-06', calls: 4, units: 8, testCalls: 1 }],
      '2026-12-05T10:00:00.000Z',
      '2027-01-05T10:00:00.000Z',
      NOW,
    );
    expect(days.map((d) => [d.day, d.calls])).toEqual([
      ['2026-12-05', 0],
      ['2026-12-06', 4],
      ['2026-12-07', 0],
    ]);
    expect(usageChartData(days)).toEqual([
      [1796428800, 1796515200, 1796601600],
      [0, 4, 0],
      [0, 1, 0],
    ]);
  });
});

describe('quotaBars', () => {
  const days = [
    { day: '2026-12-06', calls: 10, units: 10, testCalls: 0 },
    { day: '2026-12-07', calls: 4, units: 4, testCalls: 1 },
  ];
  it('counts live units and test calls against the daily and period quotas', () => {
    expect(quotaBars({ perSecond: 2, perMinute: null, perDay: 5, perMonth: 100 }, days, NOW)).toEqual([
      { label: 'Today (UTC)', used: 5, limit: 5, share: 1, tone: 'full' },
      { label: 'This period', used: 15, limit: 100, share: 0.15, tone: 'ok' },
    ]);
  });
  it('warns from 85 % and draws no bar for rate limits', () => {
    expect(quotaBars({ perSecond: 1, perMinute: 10, perDay: null, perMonth: 17 }, days, NOW)).toEqual([
      { label: 'This period', used: 15, limit: 17, share: 15 / 17, tone: 'warn' },
    ]);
    expect(quotaBars({ perSecond: 1, perMinute: 10, perDay: null, perMonth: null }, days, NOW)).toEqual([]);
  });
});
