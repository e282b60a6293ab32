import type { VersionSpan } from './rate-period';

export interface PlanChange {
  at: Date;
  fromPlanVersionId: string;
  toPlanVersionId: string;
}

export interface DatedSpan extends VersionSpan {
  from: Date;
  to: Date;
}

/**
 * Which plan version was in force over which part of `[periodStart, periodEnd)`, from the
 * subscription's plan changes (all of them, any period) and its version now. The version at an
 * instant is the target of the last change at or before it, else the source of the first change
 * after it, else the current one. A roll to a new price writes a change at the new period's
 * start, so an old period keeps its own version however late it is recomputed.
 */
export function versionSpans(periodStart: Date, periodEnd: Date, currentVersionId: string, changes: readonly PlanChange[]): DatedSpan[] {
  const sorted = [...changes].sort((a, b) => a.at.getTime() - b.at.getTime());
  const versionAt = (t: number): string => {
    let last: PlanChange | undefined;
    for (const c of sorted) if (c.at.getTime() <= t) last = c;
    if (last) return last.toPlanVersionId;
    return sorted.find((c) => c.at.getTime() > t)?.fromPlanVersionId ?? currentVersionId;
  };
  const start = periodStart.getTime();
  const end = periodEnd.getTime();
  const cuts = [start, ...sorted.map((c) => c.at.getTime()).filter((t) => t > start && t < end), end];
  const spans: DatedSpan[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i]!;
    const to = cuts[i + 1]!;
    if (to <= from) continue;
    const id = versionAt(from);
    const prev = spans[spans.length - 1];
    if (prev && prev.planVersionId === id) {
      prev.to = new Date(to);
      prev.seconds = Math.round((to - prev.from.getTime()) / 1000);
    } else spans.push({ planVersionId: id, from: new Date(from), to: new Date(to), seconds: Math.round((to - from) / 1000) });
  }
  return spans;
}
