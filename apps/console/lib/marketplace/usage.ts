import type { PlanLimits, UsageDayDto } from '@slipway/contracts';

/**
 * A subscription's usage on the consumer's page: the period's days (empty days filled with zero,
 * so the chart's x axis is the whole period) and the quota bars (used / limit). The edge counts
 * live and test calls against the same limits, so the bars add both; billing counts only live.
 * Pure: unit-tested.
 */
const DAY_MS = 86_400_000;

const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** One row per UTC day of [periodStart, min(periodEnd, now)], in order, zero where nothing was counted. */
export function fillPeriodDays(days: readonly UsageDayDto[], periodStart: string, periodEnd: string, now = Date.now()): UsageDayDto[] {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const start = Date.parse(`${periodStart.slice(0, 10)}T00:00:00Z`);
  const end = Math.min(Date.parse(periodEnd) - 1, now);
  const out: UsageDayDto[] = [];
  for (let t = start; t <= end && out.length < 62; t += DAY_MS) {
    const day = utcDay(t);
    out.push(byDay.get(day) ?? { day, calls: 0, units: 0, testCalls: 0 });
  }
  // Days the api sent outside that window (a clock skew) are still shown, never dropped.
  for (const d of days) if (!out.some((o) => o.day === d.day)) out.push(d);
  return out.sort((a, b) => a.day.localeCompare(b.day));
}

/** uPlot's aligned arrays: x = each day's UTC midnight (Unix seconds), then live calls and test calls. */
export function usageChartData(days: readonly UsageDayDto[]): [number[], number[], number[]] {
  return [days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000), days.map((d) => d.calls), days.map((d) => d.testCalls)];
}

export interface QuotaBar {
  label: string;
  used: number;
  limit: number;
  /** 0…1, capped. */
  share: number;
  tone: 'ok' | 'warn' | 'full';
}

/** The plan's quotas (per UTC day, per period) against what the period's days show; rate limits are per second/minute and have no bar. */
export function quotaBars(limits: PlanLimits, days: readonly UsageDayDto[], now = Date.now()): QuotaBar[] {
  const used = (d: UsageDayDto) => d.units + d.testCalls;
  const today = days.find((d) => d.day === utcDay(now));
  const bars: QuotaBar[] = [];
  const bar = (label: string, u: number, limit: number): QuotaBar => {
    const share = Math.min(1, limit > 0 ? u / limit : 1);
    return { label, used: u, limit, share, tone: share >= 1 ? 'full' : share >= 0.85 ? 'warn' : 'ok' };
  };
  if (limits.perDay !== null) bars.push(bar('Today (UTC)', today ? used(today) : 0, limits.perDay));
  if (limits.perMonth !== null)
    bars.push(
      bar(
        'This period',
        days.reduce((s, d) => s + used(d), 0),
        limits.perMonth,
      ),
    );
  return bars;
}
