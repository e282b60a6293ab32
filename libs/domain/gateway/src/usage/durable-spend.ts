import { Inject, Injectable, Optional } from '@nestjs/common';
import { USAGE_STREAM, type UsageEvent } from '@slipway/contracts';
import { RedisService, scanUnacknowledged } from '@slipway/redis';
import { parseUsageEntry } from './usage-entry';
import { USAGE_STREAM_KEY } from './usage-stream';
import { UsageRepository, type SpendColumn } from './usage.repository';

/** The spend one budget counter stands for: a scope's value since its period began. */
export interface SpendQuery {
  scope: 'project' | 'key' | 'alias' | 'feature' | 'customer';
  value: string;
  /** Start of the budget's period (ms since the epoch, UTC). */
  sinceMs: number;
}

/** Which rollup column, and which event field, each budget scope counts by (rollups keep the model or alias asked for). */
const BY_SCOPE = {
  project: { column: null, field: null },
  key: { column: 'keyId', field: 'keyId' },
  alias: { column: 'model', field: 'modelRequested' },
  feature: { column: 'feature', field: 'feature' },
  customer: { column: 'customer', field: 'customer' },
} as const satisfies Record<SpendQuery['scope'], { column: SpendColumn; field: keyof UsageEvent | null }>;

/**
 * What a project has spent, as the durable usage records say: rows the worker wrote to
 * PostgreSQL, plus events still in the usage stream (accepted, not yet written). Budget
 * counters Redis lost are rebuilt from it. Throws when PostgreSQL or Redis cannot answer.
 */
@Injectable()
export class DurableSpend {
  private readonly stream: string;

  constructor(
    @Inject(RedisService) private readonly redis: RedisService,
    @Inject(UsageRepository) private readonly repository: UsageRepository,
    @Optional() @Inject(USAGE_STREAM_KEY) stream?: string,
  ) {
    this.stream = stream ?? USAGE_STREAM;
  }

  /** Micro-USD per query. The stream is read first: an event written meanwhile is then found by id and counted once. */
  async spent(organizationId: string, projectId: string, queries: readonly SpendQuery[]): Promise<number[]> {
    const earliest = Math.min(...queries.map((q) => q.sinceMs));
    const unwritten = await this.unwrittenEvents(organizationId, projectId, earliest);
    const { spent, known } = await this.repository.spendSince(
      { organizationId },
      projectId,
      queries.map((q) => ({ column: BY_SCOPE[q.scope].column, value: q.value, since: new Date(q.sinceMs) })),
      unwritten.map((e) => e.id),
    );
    const written = new Set(known);
    const pending = unwritten.filter((e) => !written.has(e.id));
    return queries.map((q, i) => {
      const field = BY_SCOPE[q.scope].field;
      let total = Number(spent[i]);
      for (const e of pending) if (Date.parse(e.at) >= q.sinceMs && (field === null || e[field] === q.value)) total += e.costMicros;
      return total;
    });
  }

  /** This project's events in entries no consumer group has acknowledged, at or after `sinceMs`. */
  private async unwrittenEvents(organizationId: string, projectId: string, sinceMs: number): Promise<UsageEvent[]> {
    // A cheap look at the raw JSON first: most entries carry other projects' events only.
    const needle = `"projectId":${JSON.stringify(projectId)}`;
    return scanUnacknowledged(this.redis.client, this.stream, (entry) => {
      const raw = entry.fields ? Object.values(entry.fields).join('') : '';
      if (!raw.includes(needle)) return [];
      return parseUsageEntry(entry).events.filter((e) => e.organizationId === organizationId && e.projectId === projectId && Date.parse(e.at) >= sinceMs);
    });
  }
}
