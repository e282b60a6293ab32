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

/** Lines a text search reads in storage order before it turns to the trigram index. */
const SCAN_WINDOW = 20_000;

/** `%`, `_` and the escape itself are literal in a search: the user types text, not a pattern. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Reads replica log lines, tenant scope first. */
@Injectable()
export class LogsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * One page of lines. The time range prunes partitions; the order is the storage order
   * (`seq`), newest first, or oldest first after `after` (a tail never misses a line stored late
   * with an older timestamp).
   *
   * A text search newest first runs in two steps, because PostgreSQL cannot know how common the
   * text is: first the newest SCAN_WINDOW lines through the (environment, seq) index, filtered;
   * when that fills the page, it is the answer (any match left out is older). Otherwise, a rare
   * text: the matches through the trigram index, sorted (measured in docs/benchmarks.md: a
   * common word then answers in milliseconds instead of reading every match, and a rare one
   * instead of reading seven days of lines in order).
   */
  async search(scope: TenantScope, environmentId: string, s: LogSearch): Promise<LogRow[]> {
    if (s.text && s.after === undefined) {
      const recent = await this.query(scope, environmentId, s, 'window');
      if (recent.length === s.limit) return recent;
      return this.query(scope, environmentId, s, 'trigram');
    }
    return this.query(scope, environmentId, s, 'ordered');
  }

  private query(scope: TenantScope, environmentId: string, s: LogSearch, plan: 'ordered' | 'window' | 'trigram'): Promise<LogRow[]> {
    const params: unknown[] = [scope.organizationId, environmentId, s.from.toISOString(), s.to.toISOString()];
    const where = [
      `l."organizationId" = $1`,
      `l."environmentId" = $2`,
      `l.at >= $3::timestamptz AT TIME ZONE 'UTC'`,
      `l.at <= $4::timestamptz AT TIME ZONE 'UTC'`,
    ];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (s.levels) add((p) => `l.level = ANY(${p}::text[])`, [...s.levels]);
    if (s.releaseId) add((p) => `l."releaseId" = ${p}`, s.releaseId);
    if (s.before !== undefined) add((p) => `l.seq < ${p}::int8`, s.before.toString());
    if (s.after !== undefined) add((p) => `l.seq > ${p}::int8`, s.after.toString());
    const direction = s.after !== undefined ? 'ASC' : 'DESC';
    let from = `"${LOG_TABLE}" l`;
    let order = `l.seq ${direction}`;
    if (s.text) {
      params.push(likePattern(s.text));
      const match = `message ILIKE $${params.length} ESCAPE '\\'`;
      if (plan === 'window') {
        // The newest lines in index order, at most SCAN_WINDOW of them; the text filter applies to those only.
        from = `(SELECT * FROM "${LOG_TABLE}" l WHERE ${where.join(' AND ')} ORDER BY l.seq DESC LIMIT ${SCAN_WINDOW}) l`;
        where.splice(0, where.length, `l.${match}`);
      } else {
        where.push(`l.${match}`);
        // `seq + 0` is not the index's expression: the planner finds the matches through the trigram index, then sorts them.
        if (plan === 'trigram') order = `l.seq + 0 ${direction}`;
      }
    }
    params.push(s.limit);
    return this.prisma.$queryRawUnsafe<LogRow[]>(
      `SELECT l.seq, l.at, l.stream, l.level, l."releaseId", r.number AS "releaseNumber", l.replica, l.message
       FROM ${from}
       LEFT JOIN "Release" r ON r.id = l."releaseId" AND r."organizationId" = l."organizationId"
       WHERE ${where.join(' AND ')}
       ORDER BY ${order}
       LIMIT $${params.length}`,
      ...params,
    );
  }
}
