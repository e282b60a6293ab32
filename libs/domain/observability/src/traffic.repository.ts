import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope, TrafficResolution } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { HISTOGRAM_LENGTH } from './histogram';
import type { PointPlan } from './point-plan';

/** The sums of one release over one slot, as the database returns them. */
export interface SlotRow {
  releaseId: string;
  /** 0-based slot index from the plan's start. */
  slot: number;
  requests: bigint;
  status4xx: bigint;
  status5xx: bigint;
  latencyCounts: bigint[];
}

const SOURCE: Record<TrafficResolution, { table: string; time: string }> = {
  raw: { table: 'AppTrafficSample', time: '"windowStart"' },
  minute: { table: 'AppTrafficMinute', time: 'bucket' },
  hour: { table: 'AppTrafficHour', time: 'bucket' },
};

const sumCounts = `ARRAY[${Array.from({ length: HISTOGRAM_LENGTH }, (_, i) => `sum("latencyCounts"[${i + 1}])::int8`).join(', ')}]`;

// Times are UTC `timestamp` columns: extract(epoch …) of one is its UTC Unix time.
const seriesSql = (resolution: TrafficResolution) => {
  const { table, time } = SOURCE[resolution];
  return `
SELECT "releaseId", floor((extract(epoch FROM ${time})::float8 - $3::float8) / $5::float8)::int AS slot,
  sum(requests)::int8 AS requests, sum("status4xx")::int8 AS "status4xx", sum("status5xx")::int8 AS "status5xx",
  ${sumCounts} AS "latencyCounts"
FROM "${table}"
WHERE "organizationId" = $1 AND "environmentId" = $2
  AND ${time} >= to_timestamp($3::float8) AT TIME ZONE 'UTC' AND ${time} < to_timestamp($4::float8) AT TIME ZONE 'UTC'
GROUP BY 1, 2`;
};

/** Reads app traffic, tenant scope first: rows of another organization never match. */
@Injectable()
export class TrafficRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Per release and slot of `plan`: sums and merged histograms of every replica's samples (or rollups) in it. */
  async series(scope: TenantScope, environmentId: string, plan: PointPlan): Promise<SlotRow[]> {
    return this.prisma.$queryRawUnsafe<SlotRow[]>(
      seriesSql(plan.resolution),
      scope.organizationId,
      environmentId,
      plan.start,
      plan.end,
      plan.stepSeconds,
    );
  }

  /** Release numbers by id, within the tenant (deleted releases are missing). */
  async releaseNumbers(scope: TenantScope, releaseIds: readonly string[]): Promise<Map<string, number>> {
    if (releaseIds.length === 0) return new Map();
    const rows = await this.prisma.release.findMany({
      where: { organizationId: scope.organizationId, id: { in: [...releaseIds] } },
      select: { id: true, number: true },
    });
    return new Map(rows.map((r) => [r.id, r.number]));
  }
}
