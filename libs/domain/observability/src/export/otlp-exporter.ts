import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { OtlpClient, type OtlpBatch } from '@slipway/otlp';
import { OtlpExportRepository, type ExportSignal } from './otlp-export.repository';
import { REPLICA_LOG_SOURCE, type ReplicaLogSource } from './replica-logs';
import { GatewaySpansReader, ReplicaLogsReader, TrafficMetricsReader, type SignalReader } from './signal-readers';

/** Batches one signal may send in one pass: a backlog drains in bounded steps, one pass never runs long. */
export const MAX_BATCHES_PER_PASS = 20;
/** Back-off after failed deliveries without Retry-After: 1 s, 2 s, 4 s… at most this. */
export const MAX_BACKOFF_MS = 5 * 60_000;
/** A collector's Retry-After longer than this is shortened to it. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface SignalReport {
  /** Records the collector took (in batches answered 2xx). */
  exported: number;
  /** Records dropped: batches the collector refused for good (400…), and records it refused in a partial success. */
  dropped: number;
  /** Why the signal stopped early: the collector must be retried later, another worker holds it, or it waits for its back-off. */
  held?: 'retry' | 'busy' | 'backoff';
}

export type ExportReport = Record<ExportSignal, SignalReport | 'off'>;

const nonEmpty = (batch: OtlpBatch): boolean =>
  batch.signal === 'metrics' ? batch.resources.length > 0 : batch.signal === 'traces' ? batch.spans.length > 0 : batch.records.length > 0;

/**
 * One export pass (the worker's `otlp-export` job): for each signal, the records written since
 * its cursor go to the collector in bounded batches. The cursor moves only after the collector
 * answered 2xx (or refused a batch for good: 400, logged and dropped, so a malformed batch never
 * blocks the stream); on 429, 5xx or a network error it stays, and the signal waits for
 * Retry-After or an exponential back-off before the same records are sent again.
 */
@Injectable()
export class OtlpExporter {
  private readonly logger = new Logger('otlp-export');
  private readonly readers: Record<ExportSignal, SignalReader | undefined>;

  constructor(
    private readonly repo: OtlpExportRepository,
    private readonly client: OtlpClient,
    @Inject(CONFIG) config: Pick<Config, 'OTLP_ORGANIZATIONS'>,
    @Optional() @Inject(REPLICA_LOG_SOURCE) logs?: ReplicaLogSource,
  ) {
    const orgs = config.OTLP_ORGANIZATIONS;
    this.readers = {
      metrics: new TrafficMetricsReader(repo, orgs),
      traces: new GatewaySpansReader(repo, orgs),
      logs: logs ? new ReplicaLogsReader(repo, logs, orgs) : undefined,
    };
  }

  async exportPass(now: () => Date = () => new Date()): Promise<ExportReport> {
    const report = { metrics: 'off', traces: 'off', logs: 'off' } as ExportReport;
    for (const signal of ['metrics', 'traces', 'logs'] as const) {
      const reader = this.readers[signal];
      if (reader) report[signal] = await this.exportSignal(signal, reader, now);
    }
    return report;
  }

  private async exportSignal(signal: ExportSignal, reader: SignalReader, now: () => Date): Promise<SignalReport> {
    const report: SignalReport = { exported: 0, dropped: 0 };
    for (let i = 0; i < MAX_BATCHES_PER_PASS; i++) {
      const step = await this.repo.withCursor(signal, async (cursor) => {
        const at = now();
        if (cursor.retryAt && cursor.retryAt > at) return { update: { kind: 'unchanged' }, result: 'backoff' as const };
        const next = await reader.read(cursor.position, at);
        if (!next) return { update: { kind: 'unchanged' }, result: 'done' as const };
        // Every record of the batch belonged to deleted tenants: nothing to send, move on.
        if (!nonEmpty(next.batch)) return { update: { kind: 'advanced', position: next.next }, result: 'more' as const };
        const delivery = await this.client.send(next.batch);
        if (delivery.outcome === 'delivered') {
          report.exported += next.records - (delivery.rejected ?? 0);
          report.dropped += delivery.rejected ?? 0;
          if (delivery.rejected) this.logger.warn(`${signal}: the collector refused ${delivery.rejected} of ${next.records} records: ${delivery.detail}`);
          return { update: { kind: 'advanced', position: next.next }, result: 'more' as const };
        }
        if (delivery.outcome === 'rejected') {
          report.dropped += next.records;
          this.logger.error(`${signal}: the collector refused a batch of ${next.records} records (${delivery.bytes} bytes) for good, dropped: ${delivery.detail}`);
          return { update: { kind: 'advanced', position: next.next, lastError: delivery.detail }, result: 'more' as const };
        }
        const waitMs = delivery.retryAfterMs !== null ? Math.min(delivery.retryAfterMs, MAX_RETRY_AFTER_MS) : Math.min(1000 * 2 ** cursor.failures, MAX_BACKOFF_MS);
        this.logger.warn(`${signal}: not delivered (${delivery.detail}), ${next.records} records sent again in ${Math.ceil(waitMs / 1000)} s${advice(delivery.status)}`);
        return { update: { kind: 'failed', retryAt: new Date(at.getTime() + waitMs), lastError: delivery.detail }, result: 'retry' as const };
      });
      if (step === 'done') break;
      if (step !== 'more') {
        report.held = step;
        break;
      }
    }
    return report;
  }
}

/** What an operator fixes for the answers that are configuration, not load. */
function advice(status: number | null): string {
  if (status === 401 || status === 403) return ' — check the credentials in OTLP_HEADERS';
  if (status === 404) return ' — check OTLP_ENDPOINT (the base URL: /v1/metrics, /v1/traces and /v1/logs are appended)';
  return '';
}
