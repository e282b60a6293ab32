import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import { dayPartitionName, DayPartitionedTable } from './day-partitioned-table';

/** One reading of one replica container, as the sampler hands it to storage. */
export interface ResourceReadingInput {
  /** The container name (the Replica row's `containerName`). */
  replica: string;
  sampledAt: Date;
  /** Null on a container's first reading (no previous counters to take a delta from). */
  cpuPercent: number | null;
  memoryBytes: number;
}

/** One lifecycle event of a replica container. */
export interface ReplicaEventInput {
  id: string;
  replica: string;
  at: Date;
  action: string;
  exitCode: number | null;
  oomKilled: boolean;
}

export const RESOURCE_SAMPLE_TABLE = 'ReplicaResourceSample';
/** `ReplicaResourceSample_p20261207`: the partition of one UTC day. */
export const resourcePartitionName = (day: Date): string => dayPartitionName(RESOURCE_SAMPLE_TABLE, day);

/**
 * Tenant ids, replica index and limits come from the database, never from the container: the
 * Replica row (by container name), its Release (the resources it was started with, falling back
 * to the environment's) and Environment. A reading of a container Slipway has no replica row for
 * is dropped.
 */
const TENANT = `
  JOIN "Replica" rp ON rp."containerName" = x.replica
  JOIN "Release" rl ON rl.id = rp."releaseId"
  JOIN "Environment" e ON e.id = rp."environmentId"`;

/**
 * One statement, so samples and their minute rollup commit together; the rollup adds exactly the
 * rows inserted (a reading stored twice, same container and instant, inserts and adds nothing).
 */
const INGEST_READINGS = `
WITH input AS (
  SELECT x."sampledAt" AT TIME ZONE 'UTC' AS "sampledAt", x.replica, rp."organizationId", rl."projectId", rp."environmentId",
    rp."releaseId", rp.index AS "replicaIndex", x."cpuPercent", x."memoryBytes",
    coalesce((rl.runtime->>'cpuMillis')::int, e."cpuMillis") AS "cpuLimitMillis",
    coalesce((rl.runtime->>'memoryMb')::int8, e."memoryMb") * 1048576 AS "memoryLimitBytes"
  FROM jsonb_to_recordset($1::jsonb) AS x(replica text, "sampledAt" timestamptz, "cpuPercent" float8, "memoryBytes" int8)
  ${TENANT}
), inserted AS (
  INSERT INTO "${RESOURCE_SAMPLE_TABLE}" ("sampledAt", replica, "organizationId", "projectId", "environmentId", "releaseId",
    "replicaIndex", "cpuPercent", "memoryBytes", "cpuLimitMillis", "memoryLimitBytes")
  SELECT * FROM input
  ON CONFLICT DO NOTHING
  RETURNING *
), minutes AS (
  INSERT INTO "ReplicaResourceMinute" AS t (bucket, replica, "organizationId", "projectId", "environmentId", "releaseId", "replicaIndex",
    samples, "cpuSamples", "cpuPercentSum", "cpuPercentMax", "memoryBytesSum", "memoryBytesMax", "cpuLimitMillis", "memoryLimitBytes")
  SELECT date_trunc('minute', "sampledAt"), replica, "organizationId", "projectId", "environmentId", "releaseId", "replicaIndex",
    count(*), count("cpuPercent"), coalesce(sum("cpuPercent"), 0), max("cpuPercent"), sum("memoryBytes"), max("memoryBytes"),
    max("cpuLimitMillis"), max("memoryLimitBytes")
  FROM inserted
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (replica, bucket) DO UPDATE SET
    samples = t.samples + EXCLUDED.samples,
    "cpuSamples" = t."cpuSamples" + EXCLUDED."cpuSamples",
    "cpuPercentSum" = t."cpuPercentSum" + EXCLUDED."cpuPercentSum",
    "cpuPercentMax" = greatest(t."cpuPercentMax", EXCLUDED."cpuPercentMax"),
    "memoryBytesSum" = t."memoryBytesSum" + EXCLUDED."memoryBytesSum",
    "memoryBytesMax" = greatest(t."memoryBytesMax", EXCLUDED."memoryBytesMax"),
    "cpuLimitMillis" = EXCLUDED."cpuLimitMillis",
    "memoryLimitBytes" = EXCLUDED."memoryLimitBytes"
)
SELECT count(*)::int AS inserted FROM inserted`;

const INGEST_EVENTS = `
INSERT INTO "ReplicaEvent" (id, at, replica, "organizationId", "projectId", "environmentId", "releaseId", "replicaIndex", action, "exitCode", "oomKilled")
SELECT x.id, x.at AT TIME ZONE 'UTC', x.replica, rp."organizationId", rl."projectId", rp."environmentId", rp."releaseId", rp.index,
  x.action, x."exitCode",
  -- An oom stored by an earlier pass also marks the die that follows it.
  x."oomKilled" OR (x.action = 'die' AND EXISTS (
    SELECT 1 FROM "ReplicaEvent" o WHERE o.replica = x.replica AND o.action = 'oom'
      AND o.at BETWEEN (x.at AT TIME ZONE 'UTC') - interval '10 seconds' AND x.at AT TIME ZONE 'UTC'))
FROM jsonb_to_recordset($1::jsonb) AS x(id text, replica text, at timestamptz, action text, "exitCode" int, "oomKilled" boolean)
${TENANT}
ON CONFLICT (id) DO NOTHING`;

/**
 * The only Prisma user for writing replica resources: readings, their minute rollup, lifecycle
 * events, partitions and retention. Writes come from the worker's sampler (no tenant scope: each
 * row's tenant is its replica's); nothing here is reachable from a request.
 */
@Injectable()
export class ResourcesStorageRepository {
  /** The day partitions of the table (created ahead, dropped past the retention by the collector). */
  readonly partitions: DayPartitionedTable;

  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {
    this.partitions = new DayPartitionedTable(prisma, RESOURCE_SAMPLE_TABLE);
  }

  /** Stores readings (see INGEST_READINGS); returns how many were new. Their days' partitions must exist. */
  async ingestReadings(readings: readonly ResourceReadingInput[]): Promise<number> {
    if (readings.length === 0) return 0;
    const json = JSON.stringify(readings.map((r) => ({ ...r, sampledAt: r.sampledAt.toISOString() })));
    const [row] = await this.prisma.$queryRawUnsafe<{ inserted: number }[]>(INGEST_READINGS, json);
    return row?.inserted ?? 0;
  }

  /**
   * Which of these container names are replicas of this installation (other installations, or
   * tests, may share the Docker engine and its `slipway.managed` label): their stats are not read.
   */
  async knownReplicas(names: readonly string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = await this.prisma.replica.findMany({ where: { containerName: { in: [...names] } }, select: { containerName: true } });
    return new Set(rows.map((r) => r.containerName));
  }

  /** Stores events not stored yet; returns how many were new. */
  async ingestEvents(events: readonly ReplicaEventInput[]): Promise<number> {
    if (events.length === 0) return 0;
    return this.prisma.$executeRawUnsafe(INGEST_EVENTS, JSON.stringify(events.map((e) => ({ ...e, at: e.at.toISOString() }))));
  }

  /** Deletes minute rows and events older than `before`; returns the rows deleted. */
  async deleteBefore(before: Date): Promise<number> {
    const minutes = await this.prisma.$executeRawUnsafe(
      `DELETE FROM "ReplicaResourceMinute" WHERE bucket < $1::timestamptz AT TIME ZONE 'UTC'`,
      before.toISOString(),
    );
    const events = await this.prisma.$executeRawUnsafe(
      `DELETE FROM "ReplicaEvent" WHERE at < $1::timestamptz AT TIME ZONE 'UTC'`,
      before.toISOString(),
    );
    return minutes + events;
  }
}
