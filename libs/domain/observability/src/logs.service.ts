import { Inject, Injectable } from '@nestjs/common';
import { type LogsPageDto, type LogsQuery, type TenantScope } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { resolveRange } from './time-range';
import { levelsFrom } from './log-level';
import { LogsRepository } from './logs.repository';


/** Replica log lines of one environment: search, page back, tail. */
@Injectable()
export class LogsService {
  constructor(@Inject(LogsRepository) private readonly repository: LogsRepository) {}

  /** `environmentId` must come from a tenant-checked lookup; the repository filters by the scope again. */
  async environmentLogs(scope: TenantScope, environmentId: string, query: LogsQuery, now = new Date()): Promise<LogsPageDto> {
    const { from, to } = resolveRange(query, now);
    if (query.cursor && query.after)
      throw new AppError(
        'VALIDATION_FAILED',
        'Pass either `cursor` (to page back to older lines) or `after` (to tail newer lines), not both.',
      );
    const tail = query.after !== undefined;
    const rows = await this.repository.search(scope, environmentId, {
      from,
      to,
      text: query.q || undefined,
      levels: query.level ? levelsFrom(query.level) : undefined,
      releaseId: query.release || undefined,
      before: query.cursor ? BigInt(query.cursor) : undefined,
      after: tail ? BigInt(query.after!) : undefined,
      limit: query.limit,
    });
    const lines = rows.map((r) => ({
      cursor: r.seq.toString(),
      at: r.at.toISOString(),
      stream: r.stream,
      level: r.level,
      releaseId: r.releaseId,
      releaseNumber: r.releaseNumber,
      replica: r.replica,
      message: r.message,
    }));
    // Paging back: the oldest line's cursor while the page was full. Tailing: where to tail from next.
    const nextCursor = tail ? (lines.at(-1)?.cursor ?? query.after!) : lines.length === query.limit ? lines.at(-1)!.cursor : null;
    return { lines, nextCursor };
  }
}
