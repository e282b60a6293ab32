import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { OrganizationHealthDto, RangeQuery, TenantScope, VerdictStatus } from '@slipway/contracts';
import { percentile } from './histogram';
import { OrganizationHealthRepository } from './organization-health.repository';
import { planPoints } from './point-plan';
import { ReleaseVerdictsRepository } from './release-verdicts.repository';
import { resolveRange } from './time-range';

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** GET /orgs/:org/health: every environment's requests, 5xx rate, p95, model cost, live release and its verdict over a range. */
@Injectable()
export class OrganizationHealthService {
  constructor(
    @Inject(OrganizationHealthRepository) private readonly repository: OrganizationHealthRepository,
    @Inject(ReleaseVerdictsRepository) private readonly verdicts: ReleaseVerdictsRepository,
    @Inject(CONFIG) private readonly config: Pick<Config, 'OBSERVABILITY_RAW_RETENTION_DAYS'>,
  ) {}

  async health(scope: TenantScope, query: RangeQuery, now = new Date()): Promise<OrganizationHealthDto> {
    const { from, to } = resolveRange(query, now);
    // The table the traffic chart of the same range reads (raw, minute or hour), summed over the whole range.
    const plan = planPoints({ from, to, points: query.points, now, rawRetentionDays: this.config.OBSERVABILITY_RAW_RETENTION_DAYS });
    const environments = await this.repository.environments(scope);
    const liveIds = environments.map((e) => e.liveReleaseId).filter((id): id is string => !!id);
    const [numbers, lastDeploys, traffic, costs, verdicts] = await Promise.all([
      this.repository.releaseNumbers(scope, liveIds),
      this.repository.lastDeploys(scope),
      this.repository.traffic(scope, plan.resolution, from.getTime() / 1000, to.getTime() / 1000),
      this.repository.modelCostMicros(scope, from, to),
      this.verdicts.findMany(scope, liveIds),
    ]);
    const trafficByEnv = new Map(traffic.map((t) => [t.environmentId, t]));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      environments: environments.map((env) => {
        const t = trafficByEnv.get(env.id);
        const requests = t ? Number(t.requests) : 0;
        const p95 = t ? percentile(t.latencyCounts.map(Number), 0.95) : null;
        return {
          project: env.project,
          environment: env.name,
          liveReleaseNumber: env.liveReleaseId ? (numbers.get(env.liveReleaseId) ?? null) : null,
          lastDeployAt: lastDeploys.get(env.id)?.toISOString() ?? null,
          requests,
          rate5xx: t && requests > 0 ? round(Number(t.status5xx) / requests, 6) : null,
          p95Ms: p95 === null ? null : round(p95, 2),
          modelCostUsd: round(Number(costs.get(env.id) ?? 0n) / 1e6, 6),
          verdict: env.liveReleaseId ? ((verdicts.get(env.liveReleaseId)?.status as VerdictStatus | undefined) ?? null) : null,
        };
      }),
    };
  }
}
