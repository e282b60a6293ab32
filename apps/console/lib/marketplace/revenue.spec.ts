import { describe, expect, it } from 'vitest';
import { apiRevenueByPlanChart, revenueTotals } from './revenue';

const r = {
  from: '2026-12-07T00:00:00Z',
  to: '2026-12-07T03:00:00Z',
  stepSeconds: 3600,
  time: [1796601600, 1796605200, 1796608800],
  calls: [3, 0, 5],
  revenueMicros: [1_000.4, 0, 2_000.4],
  plans: [
    { planId: 'a', planName: 'Free', revenueMicros: [0, 0, 0] },
    { planId: 'b', planName: 'Pro', revenueMicros: [1_000.4, 0, 2_000.4] },
  ],
};

describe('API revenue panel', () => {
  it('totals calls and revenue, rounding once after summing', () => {
    expect(revenueTotals(r)).toEqual({
      calls: 8,
      totalMicros: 3_001,
      plans: [
        { planName: 'Pro', micros: 3_001 },
        { planName: 'Free', micros: 0 },
      ],
    });
  });
  it('draws one revenue series per plan on the page axis, values formatted as USD', () => {
    const spec = apiRevenueByPlanChart(r);
    expect(spec.time).toBe(r.time);
    expect(spec.series.map((s) => s.label)).toEqual(['Free', 'Pro']);
    expect(spec.format(2_000.4)).toBe('$0.002');
  });
});
