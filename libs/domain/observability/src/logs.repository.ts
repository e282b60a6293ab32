import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import type { LogLevel, TenantScope } from '@slipway/contracts';
import { LOG_TABLE } from './logs-storage.repository';

export interface LogSearch {
  from: Date;
  to: Date;
  /** Case-insensitive substring. */
  text?: string;
  levels?: readonly LogLevel[];
  releaseId?: string;
  /** Lines stored before this one (`seq`), newest first. */
  before?: bigint;
  /** Lines stored after this one, oldest first (live tail). */
  after?: bigint;
  limit: number;
}

export interface LogRow {
  seq: bigint;
  at: Date;
  stream: 'stdout' | 'stderr';
  level: LogLevel;
  releaseId: string;
  releaseNumber: number | null;
  replica: string;
  message: string;
}

/** `%`, `_` and the escape itself are literal in a search: the user types text, not a pattern. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Reads replica log lines, tenant scope first. */
@Injectable()
export class LogsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * One page of lines. The time range prunes partitions; a text search uses the trigram index
   * on `message`; the order is the storage order (`seq`), newest first, or oldest first after
   * `after` (a tail never misses a line stored late with an older timestamp).
   */
  async search(scope: TenantScope, environmentId: string, s: LogSearch): Promise<LogRow[]> {
    const params: unknown[] = [scope.organizationId, environmentId, s.from.toISOString(), s.to.toISOString()];
    const where = [`l."organizationId" = $1`, `l."environmentId" = $2`, `l.at >= $3::timestamptz AT TIME ZONE 'UTC'`, `l.at <= $4::timestamptz AT TIME ZONE 'UTC'`];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (s.text) add((p) => `l.message ILIKE ${p} ESCAPE '\\'`, likePattern(s.text));
    if (s.levels) add((p) => `l.level = ANY(${p}::text[])`, [...s.levels]);
    if (s.releaseId) add((p) => `l."releaseId" = ${p}`, s.releaseId);
    if (s.before !== undefined) add((p) => `l.seq < ${p}::int8`, s.before.toString());
    if (s.after !== undefined) add((p) => `l.seq > ${p}::int8`, s.after.toString());
    params.push(s.limit);
    return this.prisma.$queryRawUnsafe<LogRow[]>(
      `SELECT l.seq, l.at, l.stream, l.level, l."releaseId", r.number AS "releaseNumber", l.replica, l.message
       FROM "${LOG_TABLE}" l
       LEFT JOIN "Release" r ON r.id = l."releaseId" AND r."organizationId" = l."organizationId"
       WHERE ${where.join(' AND ')}
       ORDER BY l.seq ${s.after !== undefined ? 'ASC' : 'DESC'}
       LIMIT $${params.length}`,
      ...params,
    );
  }
}
