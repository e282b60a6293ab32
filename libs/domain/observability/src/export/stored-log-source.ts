import { Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import { LOG_TABLE } from '../logs-storage.repository';
import type { ReplicaLogLine, ReplicaLogPage, ReplicaLogSource } from './replica-logs';

/**
 * The replica log lines the collector stored, in storage order (`seq`), for the OTLP export.
 * Lines are read only once stored `SETTLE_SECONDS` ago by Docker's clock: a flush of a removed
 * replica running beside a collector pass may commit a lower `seq` a moment later, and a cursor
 * that had passed it would skip it (docs/observability.md, Export → Delivery).
 */
const SETTLE_SECONDS = 10;

// An empty slug list means every organization.
const ORG_FILTER = `(cardinality($3::text[]) = 0 OR "organizationId" IN (SELECT id FROM "Organization" WHERE slug = ANY($3::text[])))`;

interface Row extends Omit<ReplicaLogLine, 'collectedAt' | 'line' | 'stream'> {
  seq: bigint;
  stream: string;
  message: string;
}

@Injectable()
export class StoredLogSource implements ReplicaLogSource {
  constructor(private readonly prisma: PrismaService) {}

  async after(cursor: string, limit: number, organizationSlugs: readonly string[]): Promise<ReplicaLogPage> {
    const after = /^\d+$/.test(cursor) ? BigInt(cursor) : 0n;
    const rows = await this.prisma.$queryRawUnsafe<Row[]>(
      `SELECT seq, at, "projectId", "environmentId", "releaseId", replica, stream, level, message
         FROM "${LOG_TABLE}"
        WHERE seq > $1 AND at < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${SETTLE_SECONDS}) AND ${ORG_FILTER}
        ORDER BY seq LIMIT $2`,
      after,
      limit,
      [...organizationSlugs],
    );
    const lines = rows.map(
      (r): ReplicaLogLine => ({
        projectId: r.projectId,
        environmentId: r.environmentId,
        releaseId: r.releaseId,
        replica: r.replica,
        stream: r.stream === 'stderr' ? 'stderr' : 'stdout',
        level: r.level,
        at: r.at,
        // Not kept per line; the collector reads within seconds of the write.
        collectedAt: r.at,
        line: r.message,
      }),
    );
    return { lines, cursor: rows.length ? String(rows[rows.length - 1]!.seq) : String(after) };
  }

  async cursorAt(at: Date): Promise<string> {
    const [row] = await this.prisma.$queryRawUnsafe<{ seq: bigint | null }[]>(
      `SELECT coalesce((SELECT min(seq) - 1 FROM "${LOG_TABLE}" WHERE at >= $1), (SELECT max(seq) FROM "${LOG_TABLE}"), 0) AS seq`,
      at,
    );
    return String(row?.seq ?? 0);
  }
}
