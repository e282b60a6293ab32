import type { EnvironmentApiRevenueDto } from '@slipway/contracts';
import { formatCount } from '../observability/format';
import { keyColor, type ChartSpec } from '../observability/series';
import { formatMicros } from './money';

/**
 * The observability page's API revenue panel: calls per slot and revenue per slot by plan, as
 * the page's chart specs (same time axis, same colours as the other panels). Revenue slots are
 * fractional micro-USD (the api spreads a line over its window); totals are rounded once.
 */
export function apiCallsChart(r: EnvironmentApiRevenueDto): ChartSpec {
  return {
    time: r.time,
    series: [{ label: 'Calls', color: keyColor(0), values: r.calls }],
    format: (n) => formatCount(n),
    zeroBased: true,
  };
}

export function apiRevenueByPlanChart(r: EnvironmentApiRevenueDto): ChartSpec {
  return {
    time: r.time,
    series: r.plans.map((p, i) => ({ label: p.planName, color: keyColor(i + 1), values: p.revenueMicros })),
    format: (n) => (n === null ? '—' : formatMicros(Math.round(n))),
    zeroBased: true,
  };
}

export interface PlanRevenueTotal {
  planName: string;
  micros: number;
}

/** Each plan's revenue over the range (rounded once, after summing), largest first, and the total. */
export function revenueTotals(r: EnvironmentApiRevenueDto): { calls: number; totalMicros: number; plans: PlanRevenueTotal[] } {
  const plans = r.plans
    .map((p) => ({ planName: p.planName, micros: Math.round(p.revenueMicros.reduce((s, v) => s + v, 0)) }))
    .sort((a, b) => b.micros - a.micros);
  return { calls: r.calls.reduce((s, v) => s + v, 0), totalMicros: Math.round(r.revenueMicros.reduce((s, v) => s + v, 0)), plans };
}
