import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import type { PointPlan } from './point-plan';

/** The mean of one replica over one slot, as the database returns it. */
export interface ResourceSlotRow {
  replica: string;
  releaseId: string;
  replicaIndex: number;
  slot: number;
  cpuPercent: number | null;
  memoryBytes: number | null;
  cpuLimitMillis: number;
  memoryLimitBytes: bigint;
}

/** A replica's lifecycle event in a range, with the one before it (restart = a start after a die). */
export interface ReplicaEventRow {
  at: Date;
  action: string;
  exitCode: number | null;
  oomKilled: boolean;
  replicaIndex: number;
  releaseId: string;
  number: number;
  commitSha: string;
  authorName: string;
  message: string;
  previousAction: string | null;
  previousExitCode: number | null;
  previousOomKilled: boolean | null;
}

export interface ResourceAverages {
  /** Mean CPU % (of one core) per replica reading; null without readings. */
  cpuPercent: number | null;
  /** Mean memory per replica reading; null without readings. */
  memoryBytes: number | null;
  /** Readings averaged. */
  samples: number;
}

const utc = (param: string) => `to_timestamp(${param}::float8) AT TIME ZONE 'UTC'`;

const RAW_SERIES = `
SELECT replica, "releaseId", "replicaIndex", floor((extract(epoch FROM "sampledAt")::float8 - $3::float8) / $5::float8)::int AS slot,
  avg("cpuPercent") AS "cpuPercent", avg("memoryBytes")::float8 AS "memoryBytes",
  max("cpuLimitMillis") AS "cpuLimitMillis", max("memoryLimitBytes") AS "memoryLimitBytes"
FROM "ReplicaResourceSample"
WHERE "organizationId" = $1 AND "environmentId" = $2 AND "sampledAt" >= ${utc('$3')} AND "sampledAt" < ${utc('$4')}
GROUP BY 1, 2, 3, 4`;

// Means over every reading in the slot, not means of minute means: sums and counts add.
const MINUTE_SERIES = `
SELECT replica, "releaseId", "replicaIndex", floor((extract(epoch FROM bucket)::float8 - $3::float8) / $5::float8)::int AS slot,
  sum("cpuPercentSum") / nullif(sum("cpuSamples"), 0) AS "cpuPercent", sum("memoryBytesSum")::float8 / nullif(sum(samples), 0) AS "memoryBytes",
  max("cpuLimitMillis") AS "cpuLimitMillis", max("memoryLimitBytes") AS "memoryLimitBytes"
FROM "ReplicaResourceMinute"
WHERE "organizationId" = $1 AND "environmentId" = $2 AND bucket >= ${utc('$3')} AND bucket < ${utc('$4')}
GROUP BY 1, 2, 3, 4`;

/** Starts after a die are restarts; OOM kills are `oom` events. The release must still exist (in the tenant). */
const MARKER_EVENTS = `
SELECT ev.at, ev.action, ev."exitCode", ev."oomKilled", ev."replicaIndex", ev."releaseId",
  rl.number, rl."commitSha", rl."authorName", rl.message,
  prev.action AS "previousAction", prev."exitCode" AS "previousExitCode", prev."oomKilled" AS "previousOomKilled"
FROM "ReplicaEvent" ev
JOIN "Release" rl ON rl.id = ev."releaseId" AND rl."organizationId" = $1
LEFT JOIN LATERAL (
  SELECT p.action, p."exitCode", p."oomKilled" FROM "ReplicaEvent" p
  WHERE p.replica = ev.replica AND p.at < ev.at AND p.action IN ('start', 'die')
  ORDER BY p.at DESC LIMIT 1
) prev ON ev.action = 'start'
WHERE ev."organizationId" = $1 AND ev."environmentId" = $2 AND ev.at >= ${utc('$3')} AND ev.at < ${utc('$4')} AND ev.action IN ('start', 'oom')
ORDER BY ev.at
LIMIT $5`;

/** Reads replica resources, tenant scope first: rows of another organization never match. */
@Injectable()
export class ResourcesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Per replica and slot of `plan`: mean CPU and memory, and the limits. Raw readings for `raw` plans, the minute rollup otherwise. */
  async series(scope: TenantScope, environmentId: string, plan: PointPlan): Promise<ResourceSlotRow[]> {
    return this.prisma.$queryRawUnsafe<ResourceSlotRow[]>(
      plan.resolution === 'raw' ? RAW_SERIES : MINUTE_SERIES,
      scope.organizationId,
      environmentId,
      plan.start,
      plan.end,
      plan.stepSeconds,
    );
  }

  /** Starts and OOM events of the environment's replicas in [from, to), oldest first, at most `limit`. */
  async markerEvents(scope: TenantScope, environmentId: string, from: Date, to: Date, limit: number): Promise<ReplicaEventRow[]> {
    return this.prisma.$queryRawUnsafe<ReplicaEventRow[]>(
      MARKER_EVENTS,
      scope.organizationId,
      environmentId,
      from.getTime() / 1000,
      to.getTime() / 1000,
      limit,
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

  /**
   * Mean CPU and memory of one release's replicas over [from, to): from the raw readings, or the
   * minute rollup (whole minutes) when `raw` is false. The release id is the tenant key here:
   * callers are internal (the verdict evaluation), never a request's input.
   */
  async releaseAverages(releaseId: string, from: Date, to: Date, raw: boolean): Promise<ResourceAverages> {
    const sql = raw
      ? `SELECT avg("cpuPercent") AS cpu, avg("memoryBytes")::float8 AS memory, count(*)::int AS samples
         FROM "ReplicaResourceSample" WHERE "releaseId" = $1 AND "sampledAt" >= ${utc('$2')} AND "sampledAt" < ${utc('$3')}`
      : `SELECT sum("cpuPercentSum") / nullif(sum("cpuSamples"), 0) AS cpu, sum("memoryBytesSum")::float8 / nullif(sum(samples), 0) AS memory,
           coalesce(sum(samples), 0)::int AS samples
         FROM "ReplicaResourceMinute" WHERE "releaseId" = $1 AND bucket >= date_trunc('minute', ${utc('$2')}) AND bucket < ${utc('$3')}`;
    const [row] = await this.prisma.$queryRawUnsafe<{ cpu: number | null; memory: number | null; samples: number }[]>(
      sql,
      releaseId,
      from.getTime() / 1000,
      to.getTime() / 1000,
    );
    return { cpuPercent: row?.cpu ?? null, memoryBytes: row?.memory ?? null, samples: row?.samples ?? 0 };
  }
}
