import { Inject, Injectable, Optional } from '@nestjs/common';
import { USAGE_STREAM, usageEventSchema, type UsageEvent } from '@slipway/contracts';
import { RedisService, scanUnacknowledged } from '@slipway/redis';
import { USAGE_EVENTS_FIELD, USAGE_STREAM_KEY } from './usage-stream';
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
  /** Scans of the stream in progress, per project: concurrent rebuilds (a new day, many new customers at once) share one read. */
  private readonly scans = new Map<string, Promise<UsageEvent[]>>();

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
    const unwritten = (await this.sharedScan(organizationId, projectId)).filter((e) => Date.parse(e.at) >= earliest);
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

  /**
   * The project's unwritten events of this month and the last (no budget period starts
   * earlier). A caller that comes while a scan of the project runs shares it, so a new day or a
   * burst of new customers reads the backlog once, not once per counter; the price is that an
   * event added to the stream during that scan may be missed by the later caller (a window as
   * long as one scan, next to the ≈ 50 ms every rebuild has: docs/gateway.md, known limits).
   */
  private sharedScan(organizationId: string, projectId: string): Promise<UsageEvent[]> {
    const id = `${organizationId}\n${projectId}`;
    let scan = this.scans.get(id);
    if (!scan) {
      const now = new Date();
      scan = this.unwrittenEvents(organizationId, projectId, Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).finally(() => this.scans.delete(id));
      this.scans.set(id, scan);
    }
    return scan;
  }

  /** This project's events in entries no consumer group has acknowledged, at or after `sinceMs`. */
  private async unwrittenEvents(organizationId: string, projectId: string, sinceMs: number): Promise<UsageEvent[]> {
    // A cheap look at the raw JSON first: most entries carry other projects' events only. Then only
    // this project's events are validated (an entry holds up to 100 events of many tenants).
    const needle = `"projectId":${JSON.stringify(projectId)}`;
    return scanUnacknowledged(this.redis.client, this.stream, (entry) => {
      const raw = entry.fields?.[USAGE_EVENTS_FIELD];
      if (raw === undefined || !raw.includes(needle)) return [];
      let list: unknown;
      try {
        list = JSON.parse(raw);
      } catch {
        return []; // the consumer logs and skips it too
      }
      if (!Array.isArray(list)) return [];
      const mine: UsageEvent[] = [];
      for (const item of list as Partial<UsageEvent>[]) {
        if (item?.organizationId !== organizationId || item.projectId !== projectId) continue;
        const parsed = usageEventSchema.safeParse(item);
        if (parsed.success && Date.parse(parsed.data.at) >= sinceMs) mine.push(parsed.data);
      }
      return mine;
    });
  }
}
