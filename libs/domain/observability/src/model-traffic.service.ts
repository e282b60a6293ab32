import { Inject, Injectable } from '@nestjs/common';
import type { EnvironmentModelTrafficDto, ModelTrafficQuery, TenantScope } from '@slipway/contracts';
import { planPoints, type PointPlan } from './point-plan';
import { ModelTrafficRepository, type ModelSlotRow } from './model-traffic.repository';
import { resolveRange } from './time-range';

/** Most series returned; smaller groups are summed into `(other)`. */
export const MODEL_SERIES_MAX = 20;
export const OTHER_KEY = '(other)';

/** Model calls through the gateway on the page's time axis, by alias, feature or release, from the per-minute usage rollup. */
@Injectable()
export class ModelTrafficService {
  constructor(@Inject(ModelTrafficRepository) private readonly repository: ModelTrafficRepository) {}

  /** `projectId` and `environmentId` must come from a tenant-checked lookup; the repository filters by the scope again. */
  async environmentModelTraffic(
    scope: TenantScope,
    projectId: string,
    environmentId: string,
    query: ModelTrafficQuery,
    now = new Date(),
  ): Promise<EnvironmentModelTrafficDto> {
    const { from, to } = resolveRange(query, now);
    // The rollup is per minute: no raw source (a raw retention of 0 days never picks it).
    const plan = planPoints({ from, to, points: query.points, now, rawRetentionDays: 0 });
    const [rows, errorsByCategory] = await Promise.all([
      this.repository.series(scope, projectId, environmentId, query.groupBy, plan),
      this.repository.errorsByCategory(scope, projectId, environmentId, from, to),
    ]);
    const byKey = new Map<string, ModelSlotRow[]>();
    const callsByKey = new Map<string, number>();
    for (const row of rows) {
      if (row.slot < 0 || row.slot >= plan.slots) continue;
      let list = byKey.get(row.key);
      if (!list) byKey.set(row.key, (list = []));
      list.push(row);
      callsByKey.set(row.key, (callsByKey.get(row.key) ?? 0) + Number(row.calls));
    }
    const ranked = [...byKey.keys()].sort((a, b) => callsByKey.get(b)! - callsByKey.get(a)! || a.localeCompare(b));
    const kept = ranked.slice(0, ranked.length > MODEL_SERIES_MAX ? MODEL_SERIES_MAX - 1 : MODEL_SERIES_MAX);
    const series = kept.map((key) => seriesOf(key, byKey.get(key)!, plan));
    const rest = ranked.slice(kept.length).flatMap((key) => byKey.get(key)!);
    if (rest.length > 0) series.push(seriesOf(OTHER_KEY, rest, plan));
    const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      stepSeconds: plan.stepSeconds,
      time: Array.from({ length: plan.slots }, (_, i) => plan.start + i * plan.stepSeconds),
      groupBy: query.groupBy,
      series,
      errorsByCategory,
      totals: {
        calls: sum(series.map((s) => sum(s.calls))),
        costUsd: round(sum(rows.filter((r) => r.slot >= 0 && r.slot < plan.slots).map((r) => Number(r.costMicros))) / 1e6, 6),
        inputTokens: sum(series.map((s) => sum(s.inputTokens))),
        outputTokens: sum(series.map((s) => sum(s.outputTokens))),
        cachedTokens: sum(series.map((s) => sum(s.cachedTokens))),
      },
    };
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Several rows may fall in one slot (minute rows folded into a wider slot, or groups folded into `(other)`): counts add. */
function seriesOf(key: string, rows: readonly ModelSlotRow[], plan: PointPlan) {
  const n = plan.slots;
  const zeros = () => new Array<number>(n).fill(0);
  const acc = {
    calls: zeros(),
    errors: zeros(),
    streamed: zeros(),
    inputTokens: zeros(),
    outputTokens: zeros(),
    cachedTokens: zeros(),
    costMicros: zeros(),
    latencyMsSum: zeros(),
    ttftMsSum: zeros(),
    retries: zeros(),
    fallbacks: zeros(),
  };
  for (const row of rows) for (const field of Object.keys(acc) as (keyof typeof acc)[]) acc[field][row.slot]! += Number(row[field]);
  return {
    key,
    calls: acc.calls,
    errors: acc.errors,
    inputTokens: acc.inputTokens,
    outputTokens: acc.outputTokens,
    cachedTokens: acc.cachedTokens,
    costUsd: acc.costMicros.map((m) => round(m / 1e6, 6)),
    // Only streamed calls have a time to first token.
    ttftMs: acc.ttftMsSum.map((t, i) => (acc.streamed[i]! > 0 ? round(t / acc.streamed[i]!, 1) : null)),
    // Generation time: the whole call minus the wait for the first token (all of it for a call that did not stream).
    tokensPerSecond: acc.outputTokens.map((out, i) => {
      const generationMs = acc.latencyMsSum[i]! - acc.ttftMsSum[i]!;
      return acc.calls[i]! > 0 && generationMs > 0 ? round((out / generationMs) * 1000, 2) : null;
    }),
    retries: acc.retries,
    fallbacks: acc.fallbacks,
  };
}
