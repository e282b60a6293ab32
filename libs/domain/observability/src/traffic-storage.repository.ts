import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import { dayPartitionName, DayPartitionedTable } from './day-partitioned-table';
import { HISTOGRAM_LENGTH } from './histogram';

/** One edge flush of one release, as the collector hands it to storage. */
export interface SampleInput {
  streamId: string;
  releaseId: string;
  windowStart: Date;
  windowEnd: Date;
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  latencyCounts: number[];
  /** The sample's requests per normalised path (they add up to `requests`); empty from edges that count no paths. */
  paths: PathInput[];
}

export interface PathInput {
  path: string;
  requests: number;
  status4xx: number;
  status5xx: number;
  latencyCounts: number[];
}

export const SAMPLE_TABLE = 'AppTrafficSample';
/** `AppTrafficSample_p20261207`: the partition of one UTC day. */
export const partitionName = (day: Date): string => dayPartitionName(SAMPLE_TABLE, day);

// `Array[sum(c[1]), …]` for every bucket: arrays of fixed length, summed element-wise (no unnest).
const range = Array.from({ length: HISTOGRAM_LENGTH }, (_, i) => i + 1);
const sumCounts = (col: string) => `ARRAY[${range.map((i) => `sum(${col}[${i}])::int8`).join(', ')}]`;
const addCounts = (a: string, b: string) => `ARRAY[${range.map((i) => `${a}[${i}] + ${b}[${i}]`).join(', ')}]`;

const COUNTERS = ['requests', 'status2xx', 'status3xx', 'status4xx', 'status5xx'] as const;

const upsertRollup = (table: 'AppTrafficMinute' | 'AppTrafficHour', unit: 'minute' | 'hour') => `
  INSERT INTO "${table}" AS t (bucket, "organizationId", "projectId", "environmentId", "releaseId", ${COUNTERS.map((c) => `"${c}"`).join(', ')}, "latencyCounts")
  SELECT date_trunc('${unit}', "windowStart"), "organizationId", "projectId", "environmentId", "releaseId",
    ${COUNTERS.map((c) => `sum("${c}")::int8`).join(', ')}, ${sumCounts('"latencyCounts"')}
  FROM inserted
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT ("releaseId", bucket) DO UPDATE SET
    ${COUNTERS.map((c) => `"${c}" = t."${c}" + EXCLUDED."${c}"`).join(', ')},
    "latencyCounts" = ${addCounts('t."latencyCounts"', 'EXCLUDED."latencyCounts"')}`;

const PATH_COUNTERS = ['requests', 'status4xx', 'status5xx'] as const;

// The paths of exactly the samples this statement inserted (joined on their stream id), summed per minute or hour.
const upsertPathRollup = (table: 'AppTrafficPathMinute' | 'AppTrafficPathHour', unit: 'minute' | 'hour') => `
  INSERT INTO "${table}" AS t (bucket, "organizationId", "projectId", "environmentId", "releaseId", path, ${PATH_COUNTERS.map((c) => `"${c}"`).join(', ')}, "latencyCounts")
  SELECT date_trunc('${unit}', i."windowStart"), i."organizationId", i."projectId", i."environmentId", i."releaseId", p.path,
    ${PATH_COUNTERS.map((c) => `sum(p."${c}")::int8`).join(', ')}, ${sumCounts('p."latencyCounts"')}
  FROM inserted i
  JOIN input x ON x."streamId" = i."streamId"
  CROSS JOIN LATERAL jsonb_to_recordset(x.paths) AS p(path text, ${PATH_COUNTERS.map((c) => `"${c}" int8`).join(', ')}, "latencyCounts" int8[])
  GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("releaseId", bucket, path) DO UPDATE SET
    ${PATH_COUNTERS.map((c) => `"${c}" = t."${c}" + EXCLUDED."${c}"`).join(', ')},
    "latencyCounts" = ${addCounts('t."latencyCounts"', 'EXCLUDED."latencyCounts"')}`;

/**
 * One statement, so samples, both rollups and both path rollups commit together: the samples not stored yet are
 * inserted (the stream entry id is unique per window start, which a redelivered entry repeats),
 * and the minute and hour rollups add exactly the rows this statement inserted. A redelivered
 * batch inserts and adds nothing. Tenant ids come from the release row itself (the edge sends
 * only release and environment ids); a sample of a release that no longer exists is dropped.
 */
const INGEST = `
WITH input AS (
  SELECT x."streamId", x."windowStart" AT TIME ZONE 'UTC' AS "windowStart", x."windowEnd" AT TIME ZONE 'UTC' AS "windowEnd",
    r."organizationId", r."projectId", r."environmentId", r.id AS "releaseId",
    ${COUNTERS.map((c) => `x."${c}"`).join(', ')}, x."latencyCounts", x.paths
  FROM jsonb_to_recordset($1::jsonb) AS x("streamId" text, "releaseId" text, "windowStart" timestamptz, "windowEnd" timestamptz,
    ${COUNTERS.map((c) => `"${c}" int8`).join(', ')}, "latencyCounts" int8[], paths jsonb)
  JOIN "Release" r ON r.id = x."releaseId"
), inserted AS (
  INSERT INTO "${SAMPLE_TABLE}" ("streamId", "windowStart", "windowEnd", "organizationId", "projectId", "environmentId", "releaseId",
    ${COUNTERS.map((c) => `"${c}"`).join(', ')}, "latencyCounts")
  SELECT "streamId", "windowStart", "windowEnd", "organizationId", "projectId", "environmentId", "releaseId",
    ${COUNTERS.map((c) => `"${c}"`).join(', ')}, "latencyCounts"
  FROM input
  ON CONFLICT DO NOTHING
  RETURNING *
), minutes AS (${upsertRollup('AppTrafficMinute', 'minute')}
), hours AS (${upsertRollup('AppTrafficHour', 'hour')}
), path_minutes AS (${upsertPathRollup('AppTrafficPathMinute', 'minute')}
), path_hours AS (${upsertPathRollup('AppTrafficPathHour', 'hour')}
)
SELECT count(*)::int AS inserted FROM inserted`;

/**
 * The only Prisma user for writing app traffic: samples, rollups, partitions and retention.
 * Writes come from the worker's collector (no tenant scope: each sample's tenant is its
 * release's); nothing here is reachable from a request.
 */
@Injectable()
export class TrafficStorageRepository {
  /** The day partitions of the table (created ahead, dropped past the retention by the collector). */
  readonly partitions: DayPartitionedTable;

  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {
    this.partitions = new DayPartitionedTable(prisma, SAMPLE_TABLE);
  }

  /** Stores a batch (see INGEST); returns how many samples were new. Their days' partitions must exist. */
  async ingest(samples: readonly SampleInput[]): Promise<number> {
    if (samples.length === 0) return 0;
    const json = JSON.stringify(
      samples.map((s) => ({ ...s, windowStart: s.windowStart.toISOString(), windowEnd: s.windowEnd.toISOString() })),
    );
    const [row] = await this.prisma.$queryRawUnsafe<{ inserted: number }[]>(INGEST, json);
    return row?.inserted ?? 0;
  }

  /** Deletes rollup rows older than `before`, one statement per table; returns the rows deleted. */
  async deleteRollupsBefore(before: Date): Promise<number> {
    const minutes = await this.prisma.$executeRawUnsafe(
      `DELETE FROM "AppTrafficMinute" WHERE bucket < $1::timestamptz AT TIME ZONE 'UTC'`,
      before.toISOString(),
    );
    const hours = await this.prisma.$executeRawUnsafe(
      `DELETE FROM "AppTrafficHour" WHERE bucket < $1::timestamptz AT TIME ZONE 'UTC'`,
      before.toISOString(),
    );
    const pathMinutes = await this.prisma.$executeRawUnsafe(
      `DELETE FROM "AppTrafficPathMinute" WHERE bucket < $1::timestamptz AT TIME ZONE 'UTC'`,
      before.toISOString(),
    );
    const pathHours = await this.prisma.$executeRawUnsafe(
      `DELETE FROM "AppTrafficPathHour" WHERE bucket < $1::timestamptz AT TIME ZONE 'UTC'`,
      before.toISOString(),
    );
    return minutes + hours + pathMinutes + pathHours;
  }

  /** Whether the database answers at all: tells an outage from a batch it refuses. */
  async reachable(): Promise<boolean> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }
}
