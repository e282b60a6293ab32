import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { HISTOGRAM_LENGTH } from './histogram';

/** One path's sums over a range, as the database returns them. */
export interface PathRow {
  path: string;
  requests: bigint;
  status4xx: bigint;
  status5xx: bigint;
  latencyCounts: bigint[];
}

export type PathResolution = 'minute' | 'hour';

const TABLE: Record<PathResolution, string> = { minute: 'AppTrafficPathMinute', hour: 'AppTrafficPathHour' };

const sumCounts = `ARRAY[${Array.from({ length: HISTOGRAM_LENGTH }, (_, i) => `sum("latencyCounts"[${i + 1}])::int8`).join(', ')}]`;

const pathsSql = (resolution: PathResolution, byRelease: boolean) => `
SELECT path, sum(requests)::int8 AS requests, sum("status4xx")::int8 AS "status4xx", sum("status5xx")::int8 AS "status5xx",
  ${sumCounts} AS "latencyCounts"
FROM "${TABLE[resolution]}"
WHERE "organizationId" = $1 AND "environmentId" = $2
  AND bucket >= $3::timestamptz AT TIME ZONE 'UTC' AND bucket < $4::timestamptz AT TIME ZONE 'UTC'
  ${byRelease ? 'AND "releaseId" = $5' : ''}
GROUP BY path`;

/** Reads the per-path rollups, tenant scope first: rows of another organization never match. */
@Injectable()
export class TopPathsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Every path of the environment (or of one of its releases) in [from, to), summed over replicas, releases and buckets. */
  async paths(scope: TenantScope, environmentId: string, range: { from: Date; to: Date; resolution: PathResolution; releaseId?: string }): Promise<PathRow[]> {
    const args: unknown[] = [scope.organizationId, environmentId, range.from.toISOString(), range.to.toISOString()];
    if (range.releaseId !== undefined) args.push(range.releaseId);
    return this.prisma.$queryRawUnsafe<PathRow[]>(pathsSql(range.resolution, range.releaseId !== undefined), ...args);
  }
}
