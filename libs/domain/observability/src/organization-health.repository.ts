import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope, TrafficResolution } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { HISTOGRAM_LENGTH } from './histogram';

export interface EnvironmentRow {
  id: string;
  name: string;
  liveReleaseId: string | null;
  project: { slug: string; name: string };
}

export interface EnvironmentTrafficRow {
  environmentId: string;
  requests: bigint;
  status5xx: bigint;
  latencyCounts: bigint[];
}

const SOURCE: Record<TrafficResolution, { table: string; time: string }> = {
  raw: { table: 'AppTrafficSample', time: '"windowStart"' },
  minute: { table: 'AppTrafficMinute', time: 'bucket' },
  hour: { table: 'AppTrafficHour', time: 'bucket' },
};
const sumCounts = `ARRAY[${Array.from({ length: HISTOGRAM_LENGTH }, (_, i) => `sum("latencyCounts"[${i + 1}])::int8`).join(', ')}]`;
const trafficSql = (resolution: TrafficResolution) => {
  const { table, time } = SOURCE[resolution];
  return `
SELECT "environmentId", sum(requests)::int8 AS requests, sum("status5xx")::int8 AS "status5xx", ${sumCounts} AS "latencyCounts"
FROM "${table}"
WHERE "organizationId" = $1
  AND ${time} >= to_timestamp($2::float8) AT TIME ZONE 'UTC' AND ${time} < to_timestamp($3::float8) AT TIME ZONE 'UTC'
GROUP BY 1`;
};

/** The organization overview: one query per table for every environment at once, tenant scope first. */
@Injectable()
export class OrganizationHealthRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async environments(scope: TenantScope): Promise<EnvironmentRow[]> {
    return this.prisma.environment.findMany({
      where: { organizationId: scope.organizationId },
      orderBy: [{ project: { slug: 'asc' } }, { name: 'asc' }],
      select: { id: true, name: true, liveReleaseId: true, project: { select: { slug: true, name: true } } },
    });
  }

  async releaseNumbers(scope: TenantScope, ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.release.findMany({ where: { organizationId: scope.organizationId, id: { in: [...ids] } }, select: { id: true, number: true } });
    return new Map(rows.map((r) => [r.id, r.number]));
  }

  /** When each environment last had a release go live (a successful deployment of any kind). */
  async lastDeploys(scope: TenantScope): Promise<Map<string, Date>> {
    const rows = await this.prisma.deployment.groupBy({
      by: ['environmentId'],
      where: { organizationId: scope.organizationId, status: 'SUCCEEDED' },
      _max: { finishedAt: true },
    });
    return new Map(rows.filter((r) => r._max.finishedAt).map((r) => [r.environmentId, r._max.finishedAt!]));
  }

  /** Requests, 5xx and merged histogram per environment over [from, to) (unix seconds) from one traffic table. */
  async traffic(scope: TenantScope, resolution: TrafficResolution, from: number, to: number): Promise<EnvironmentTrafficRow[]> {
    return this.prisma.$queryRawUnsafe<EnvironmentTrafficRow[]>(trafficSql(resolution), scope.organizationId, from, to);
  }

  /** Gateway cost per environment over the minutes in [from, to). */
  async modelCostMicros(scope: TenantScope, from: Date, to: Date): Promise<Map<string, bigint>> {
    const rows = await this.prisma.gatewayUsageMinute.groupBy({
      by: ['environmentId'],
      where: { organizationId: scope.organizationId, minute: { gte: from, lt: to } },
      _sum: { costMicros: true },
    });
    return new Map(rows.map((r) => [r.environmentId, r._sum.costMicros ?? 0n]));
  }
}
