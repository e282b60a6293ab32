import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import type { LogLevel } from '@slipway/contracts';
import { dayPartitionName, DayPartitionedTable } from './day-partitioned-table';

export const LOG_TABLE = 'AppLogLine';
/** `AppLogLine_p20261207`: the partition of one UTC day. */
export const logPartitionName = (day: Date): string => dayPartitionName(LOG_TABLE, day);

/** Where the collector stopped in one container (see the AppLogCursor model). */
export interface LogCursor {
  /** Docker's timestamp of the last line stored, as Docker wrote it. */
  lastTimestamp: string;
  /** Lines stored that carry exactly `lastTimestamp`. */
  linesAtLast: number;
  /** The last pass stored every line it read. */
  complete: boolean;
  updatedAt: Date;
}

/** The tenant of a replica's lines: always from the release row, never from container labels alone. */
export interface LogRelease {
  id: string;
  organizationId: string;
  projectId: string;
  environmentId: string;
}

/** One line ready to store: redacted, cut, with its level. */
export interface LogLineInput {
  /** Docker's timestamp (RFC 3339, nanoseconds); stored to the microsecond. */
  at: string;
  stream: 'stdout' | 'stderr';
  level: LogLevel;
  message: string;
}

/** Another pass stored lines of this container since its cursor was read: this batch was not stored. */
export class LogCursorMovedError extends Error {
  constructor(containerId: string) {
    super(`the log cursor of container ${containerId} moved while its lines were read (another pass stored them)`);
  }
}

/**
 * The only Prisma user for writing replica logs: lines with their container's cursor (one
 * transaction), partitions and retention. Writes come from the worker's collector (no tenant
 * scope: each line's tenant is its release's); nothing here is reachable from a request.
 */
@Injectable()
export class LogsStorageRepository {
  /** The day partitions of the table (created ahead, dropped past the retention by the collector). */
  readonly partitions: DayPartitionedTable;

  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {
    this.partitions = new DayPartitionedTable(prisma, LOG_TABLE);
  }

  async cursors(containerIds: readonly string[]): Promise<Map<string, LogCursor>> {
    if (containerIds.length === 0) return new Map();
    const rows = await this.prisma.appLogCursor.findMany({ where: { containerId: { in: [...containerIds] } } });
    return new Map(
      rows.map((r) => [
        r.containerId,
        { lastTimestamp: r.lastTimestamp, linesAtLast: r.linesAtLast, complete: r.complete, updatedAt: r.updatedAt },
      ]),
    );
  }

  async releases(releaseIds: readonly string[]): Promise<Map<string, LogRelease>> {
    if (releaseIds.length === 0) return new Map();
    const rows = await this.prisma.release.findMany({
      where: { id: { in: [...releaseIds] } },
      select: { id: true, organizationId: true, projectId: true, environmentId: true },
    });
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Stores one container's lines and moves its cursor from `previous` to `next` in one
   * transaction. The cursor moves by compare-and-set: when another pass moved it first (a flush
   * before removal racing the scheduled pass), nothing is stored and LogCursorMovedError is thrown.
   */
  async store(
    containerId: string,
    release: LogRelease,
    replica: string,
    lines: readonly LogLineInput[],
    previous: Pick<LogCursor, 'lastTimestamp' | 'linesAtLast'> | undefined,
    next: Pick<LogCursor, 'lastTimestamp' | 'linesAtLast' | 'complete'>,
  ): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const moved = previous
        ? await tx.$executeRaw`UPDATE "AppLogCursor" SET "lastTimestamp" = ${next.lastTimestamp}, "linesAtLast" = ${next.linesAtLast}, complete = ${next.complete}, "updatedAt" = now()
            WHERE "containerId" = ${containerId} AND "lastTimestamp" = ${previous.lastTimestamp} AND "linesAtLast" = ${previous.linesAtLast}`
        : await tx.$executeRaw`INSERT INTO "AppLogCursor" ("containerId", "environmentId", "lastTimestamp", "linesAtLast", complete, "updatedAt")
            VALUES (${containerId}, ${release.environmentId}, ${next.lastTimestamp}, ${next.linesAtLast}, ${next.complete}, now()) ON CONFLICT DO NOTHING`;
      if (moved !== 1) throw new LogCursorMovedError(containerId);
      if (lines.length === 0) return 0;
      // ORDER BY keeps the lines' order in `seq` (the sequence is drawn row by row as they are inserted).
      return tx.$executeRawUnsafe(
        `INSERT INTO "${LOG_TABLE}" (at, "organizationId", "projectId", "environmentId", "releaseId", replica, stream, level, message)
         SELECT x.at AT TIME ZONE 'UTC', $2, $3, $4, $5, $6, x.stream, x.level, x.message
         FROM jsonb_to_recordset($1::jsonb) AS x(n int4, at timestamptz, stream text, level text, message text)
         ORDER BY x.n`,
        JSON.stringify(lines.map((l, n) => ({ n, ...l }))),
        release.organizationId,
        release.projectId,
        release.environmentId,
        release.id,
        replica,
      );
    });
  }

  /**
   * Cursors not moved since `before`: their containers wrote nothing newer than the retention,
   * so reading them again from the start would store nothing (older lines are not kept).
   */
  async deleteCursorsBefore(before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM "AppLogCursor" WHERE "updatedAt" < ${before}`;
  }
}
