import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import {
  type EnvironmentTrafficDto,
  type ReleaseTrafficDto,
  type TenantScope,
  type TrafficQuery,
} from '@slipway/contracts';
import { resolveRange } from './time-range';
import { emptyHistogram, mergeInto, percentile } from './histogram';
import { planPoints, type PointPlan } from './point-plan';
import { TrafficRepository, type SlotRow } from './traffic.repository';


/** Per release: requests/s, 4xx and 5xx rates and latency percentiles over a time range, at most `points` slots. */
@Injectable()
export class TrafficService {
  constructor(
    @Inject(TrafficRepository) private readonly repository: TrafficRepository,
    @Inject(CONFIG) private readonly config: Pick<Config, 'OBSERVABILITY_RAW_RETENTION_DAYS'>,
  ) {}

  /** `environmentId` must come from a tenant-checked lookup; the repository filters by the scope again. */
  async environmentTraffic(
    scope: TenantScope,
    environmentId: string,
    query: TrafficQuery,
    now = new Date(),
  ): Promise<EnvironmentTrafficDto> {
    const { from, to } = resolveRange(query, now);
    const plan = planPoints({ from, to, points: query.points, now, rawRetentionDays: this.config.OBSERVABILITY_RAW_RETENTION_DAYS });
    const rows = await this.repository.series(scope, environmentId, plan);
    const byRelease = new Map<string, SlotRow[]>();
    for (const row of rows) {
      if (row.slot < 0 || row.slot >= plan.slots) continue;
      let list = byRelease.get(row.releaseId);
      if (!list) byRelease.set(row.releaseId, (list = []));
      list.push(row);
    }
    const numbers = await this.repository.releaseNumbers(scope, [...byRelease.keys()]);
    const releases = [...byRelease].map(([releaseId, list]) => releaseSeries(releaseId, numbers.get(releaseId) ?? null, list, plan, now));
    // Oldest release first: by number, deleted releases (no number) last.
    releases.sort((a, b) => (a.number ?? Infinity) - (b.number ?? Infinity) || a.releaseId.localeCompare(b.releaseId));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      resolution: plan.resolution,
      stepSeconds: plan.stepSeconds,
      time: Array.from({ length: plan.slots }, (_, i) => plan.start + i * plan.stepSeconds),
      releases,
    };
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole, 6) : null);
const ms = (v: number | null) => (v === null ? null : round(v, 2));

function releaseSeries(releaseId: string, number: number | null, rows: readonly SlotRow[], plan: PointPlan, now: Date): ReleaseTrafficDto {
  const n = plan.slots;
  const requests = new Array<number>(n).fill(0);
  const status4xx = new Array<number>(n).fill(0);
  const status5xx = new Array<number>(n).fill(0);
  const histograms: (number[] | undefined)[] = new Array(n);
  const total = emptyHistogram();
  for (const row of rows) {
    requests[row.slot] = Number(row.requests);
    status4xx[row.slot] = Number(row.status4xx);
    status5xx[row.slot] = Number(row.status5xx);
    const counts = row.latencyCounts.map(Number);
    histograms[row.slot] = counts;
    mergeInto(total, counts);
  }
  const nowSeconds = now.getTime() / 1000;
  // The slot that holds "now" is still filling: its rate is over the time elapsed in it, not its width.
  const seconds = (slot: number) => {
    const start = plan.start + slot * plan.stepSeconds;
    return Math.max(1, Math.min(plan.stepSeconds, nowSeconds - start));
  };
  const quantile = (q: number) => histograms.map((h) => (h ? ms(percentile(h, q)) : null));
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  return {
    releaseId,
    number,
    requests,
    requestsPerSecond: requests.map((r, i) => round(r / seconds(i), 4)),
    rate4xx: requests.map((r, i) => ratio(status4xx[i]!, r)),
    rate5xx: requests.map((r, i) => ratio(status5xx[i]!, r)),
    p50Ms: quantile(0.5),
    p95Ms: quantile(0.95),
    p99Ms: quantile(0.99),
    totals: {
      requests: sum(requests),
      status4xx: sum(status4xx),
      status5xx: sum(status5xx),
      p50Ms: ms(percentile(total, 0.5)),
      p95Ms: ms(percentile(total, 0.95)),
      p99Ms: ms(percentile(total, 0.99)),
    },
  };
}
