import type { OtlpBatch, OtlpResource } from '@slipway/otlp';
import { gatewaySpan } from './gateway-spans';
import type { OtlpExportRepository } from './otlp-export.repository';
import { ResourceBook, tenantKey } from './otlp-resource';
import { replicaLogRecord, replicaResource, type ReplicaLogSource } from './replica-logs';
import { trafficMetrics } from './traffic-metrics';

/** One batch of a signal after a cursor position, and the position after it. */
export interface SignalBatch {
  batch: OtlpBatch;
  /** Records read (rows, spans, lines), also those skipped for lack of a tenant. */
  records: number;
  next: string;
}

export interface SignalReader {
  /** The next batch after `position` ('' = never exported: start FIRST_EXPORT_LOOKBACK_MS back), or null when nothing new is ready. */
  read(position: string, now: Date): Promise<SignalBatch | null>;
}

/** A first export (or one after the cursor was reset) starts this far back, not at the oldest kept data: backends refuse much older points. */
export const FIRST_EXPORT_LOOKBACK_MS = 3_600_000;
/**
 * A minute is exported once it ended this long ago: the edge flushes every 10 s and the
 * collector stores every 5 s, so its rollup is complete by then (a minute's samples that arrive
 * later — after an outage of the worker — are on the page, not in the export).
 */
export const MINUTE_SETTLE_MS = 90_000;
/** A stored gateway request is exported once its storing transaction has surely committed. */
export const GATEWAY_SETTLE_SECONDS = 30;

export const BATCH_LIMITS = { metrics: 500, traces: 1000, logs: 1000 } as const;

const MINUTE_MS = 60_000;

export class TrafficMetricsReader implements SignalReader {
  constructor(
    private readonly repo: OtlpExportRepository,
    private readonly organizationSlugs: readonly string[],
  ) {}

  async read(position: string, now: Date): Promise<SignalBatch | null> {
    const [bucket, releaseId] = position ? position.split('|') : [];
    const after = bucket ? { bucket: new Date(bucket), releaseId: releaseId ?? '' } : { bucket: new Date(Math.floor((now.getTime() - FIRST_EXPORT_LOOKBACK_MS) / MINUTE_MS) * MINUTE_MS), releaseId: '' };
    const settledBefore = new Date(now.getTime() - MINUTE_SETTLE_MS - MINUTE_MS);
    const rows = await this.repo.trafficMinutes({ after, settledBefore, organizationSlugs: this.organizationSlugs, limit: BATCH_LIMITS.metrics });
    const last = rows.at(-1);
    if (!last) return null;
    const book = new ResourceBook(await this.repo.tenantNames(rows));
    return { batch: { signal: 'metrics', resources: trafficMetrics(rows, book) }, records: rows.length, next: `${last.bucket.toISOString()}|${last.releaseId}` };
  }
}

export class GatewaySpansReader implements SignalReader {
  constructor(
    private readonly repo: OtlpExportRepository,
    private readonly organizationSlugs: readonly string[],
  ) {}

  async read(position: string): Promise<SignalBatch | null> {
    const sep = position.indexOf('|');
    const rows = await this.repo.gatewayRequests({
      after: sep > 0 ? { storedAt: position.slice(0, sep), id: position.slice(sep + 1) } : null,
      firstLookbackSeconds: FIRST_EXPORT_LOOKBACK_MS / 1000,
      settleSeconds: GATEWAY_SETTLE_SECONDS,
      organizationSlugs: this.organizationSlugs,
      limit: BATCH_LIMITS.traces,
    });
    const last = rows.at(-1);
    if (!last) return null;
    const book = new ResourceBook(await this.repo.tenantNames(rows));
    const spans = rows.flatMap((row) => {
      const resource = book.get(tenantKey(row.projectId, row.environmentId, row.releaseId));
      return resource ? [gatewaySpan(row, resource)] : [];
    });
    return { batch: { signal: 'traces', spans }, records: rows.length, next: `${last.storedAt}|${last.id}` };
  }
}

export class ReplicaLogsReader implements SignalReader {
  constructor(
    private readonly repo: OtlpExportRepository,
    private readonly source: ReplicaLogSource,
    private readonly organizationSlugs: readonly string[],
  ) {}

  async read(position: string, now: Date): Promise<SignalBatch | null> {
    const cursor = position || (await this.source.cursorAt(new Date(now.getTime() - FIRST_EXPORT_LOOKBACK_MS)));
    const page = await this.source.after(cursor, BATCH_LIMITS.logs, this.organizationSlugs);
    if (page.lines.length === 0) return null;
    const book = new ResourceBook(await this.repo.tenantNames(page.lines));
    const perReplica = new Map<string, OtlpResource>();
    const records = page.lines.flatMap((line) => {
      const key = tenantKey(line.projectId, line.environmentId, line.releaseId);
      const release = book.get(key);
      if (!release) return [];
      let resource = perReplica.get(`${key}/${line.replica}`);
      if (!resource) perReplica.set(`${key}/${line.replica}`, (resource = replicaResource(release, line.replica)));
      return [replicaLogRecord(line, resource)];
    });
    return { batch: { signal: 'logs', records }, records: page.lines.length, next: page.cursor };
  }
}
