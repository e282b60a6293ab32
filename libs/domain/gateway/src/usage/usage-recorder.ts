import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { USAGE_STREAM, type UsageEvent } from '@slipway/contracts';
import { RedisService } from '@slipway/redis';
import { GatewayMetrics } from './gateway-metrics';
import { DEFAULT_BACKLOG_MAX_ENTRIES, EVENTS_PER_ENTRY, USAGE_EVENTS_FIELD, USAGE_STREAM_KEY } from './usage-stream';

/** A batch goes out when this many events wait, or FLUSH_EVERY_MS after the first of them. */
export const FLUSH_BATCH = 200;
export const FLUSH_EVERY_MS = 50;
/** Largest pipeline sent at once. */
const MAX_PER_PIPELINE = 1_000;
/** While Redis is unreachable, events wait up to this many; the oldest go first (and are counted). */
const MAX_BUFFERED = 50_000;
/** Past this many events waiting in memory, new calls are refused (back-pressure), long before any would be dropped. */
const BUFFER_BACK_PRESSURE = MAX_BUFFERED / 2;
const RETRY_AFTER_FAILURE_MS = 1_000;
/** While refusing, the stream's length is looked at this often (no flush brings it when no call is let in). */
const PROBE_EVERY_MS = 1_000;

/** Why new calls are refused, and when to retry. */
export interface BackPressure {
  message: string;
  retryAfterSeconds: number;
}

const STREAM_FULL: BackPressure = {
  message:
    'The gateway is refusing new calls for a moment: its usage records are not being written to the database fast enough (the usage stream is at GATEWAY_USAGE_BACKLOG_MAX_ENTRIES). Nothing was charged; retry shortly.',
  retryAfterSeconds: 5,
};
const REDIS_AWAY: BackPressure = {
  message: 'The gateway is refusing new calls for a moment: Redis is not taking its usage records. Nothing was charged; retry shortly.',
  retryAfterSeconds: 5,
};
/** Longest a request's answer waits for its event to reach Redis (it answers 0.2–1 ms after a healthy XADD). */
export const DURABLE_WAIT_MS = 1_000;

/**
 * Records each gateway request once: into the in-process metrics at once, and into the usage
 * stream in batches (one pipelined XADD per batch), so the request path never waits on Redis.
 * Each event is serialized as it is recorded and waits as one flat string: a flush only joins
 * strings (no burst of serialization between two requests), and what waits for the next batch is
 * one small object per request instead of its whole event graph (measured: usage recording had
 * cost ≈ 20 % of the api's CPU per request, docs/benchmarks.md).
 * Delivery is at-least-once: an event whose XADD fails is sent again, and the worker writes
 * each request id once. Whatever is buffered is flushed when the module stops.
 * `recordDurably` is the request path's form: the answer's last byte waits until Redis holds its
 * event (group commit: events recorded while a pipeline is in flight go in the next one at once),
 * so an api killed with SIGKILL loses no usage of an answer a client received (the api fault
 * test in apps/e2e/faults lost one per kill with the 50 ms batch timer). While Redis is refusing
 * (after a failed XADD) nothing waits: the event stays buffered, as with `record`.
 */
@Injectable()
export class UsageRecorder implements OnModuleDestroy {
  private readonly logger = new Logger('gateway-usage');
  private readonly stream: string;
  /** Events as JSON, oldest first. */
  private buffer: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private retryAt = 0;
  private readonly listeners = new Set<(event: UsageEvent) => void>();
  /** The stream's length (entries) as last seen; trimmed by the consumer to what is not yet acknowledged. */
  private streamLength = 0;
  private readonly maxEntries: number;
  private refusing: BackPressure | null = null;
  private probe: NodeJS.Timeout | undefined;
  /** Resolvers of `recordDurably` callers, by their serialized event (unique: it holds the request id). */
  private readonly waiters = new Map<string, () => void>();

  constructor(
    @Inject(RedisService) private readonly redis: RedisService,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
    @Optional() @Inject(USAGE_STREAM_KEY) stream?: string,
    @Optional() @Inject(CONFIG) config?: Pick<Config, 'GATEWAY_USAGE_BACKLOG_MAX_ENTRIES'>,
  ) {
    this.stream = stream ?? USAGE_STREAM;
    this.maxEntries = config?.GATEWAY_USAGE_BACKLOG_MAX_ENTRIES ?? DEFAULT_BACKLOG_MAX_ENTRIES;
  }

  /**
   * Null while usage records can be kept; otherwise why a new call must be refused (the
   * engine answers 503 usage_backlog). Records are never dropped to make room: the stream past
   * GATEWAY_USAGE_BACKLOG_MAX_ENTRIES, or events piling up in memory while Redis does not take
   * them, stop new calls instead. A field read on the hot path.
   */
  backPressure(): BackPressure | null {
    const now = this.streamLength >= this.maxEntries ? STREAM_FULL : this.buffer.length >= BUFFER_BACK_PRESSURE ? REDIS_AWAY : null;
    if (now !== this.refusing) this.changeState(now);
    if (now) this.metrics.usageBackPressure();
    return now;
  }

  /** Called once per request when it ends (answered, failed or rejected). Never throws, never waits. */
  record(event: UsageEvent): void {
    this.enqueue(event);
    if (this.buffer.length >= FLUSH_BATCH && !this.flushing && Date.now() >= this.retryAt) this.startDrain();
    else this.schedule(FLUSH_EVERY_MS);
  }

  /**
   * `record`, resolving once Redis holds the event, or at once while Redis is refusing, or after
   * `waitMs` at the latest. Never rejects.
   */
  recordDurably(event: UsageEvent, waitMs = DURABLE_WAIT_MS): Promise<void> {
    const json = this.enqueue(event);
    if (Date.now() < this.retryAt) {
      this.schedule(this.retryAt - Date.now());
      return Promise.resolve();
    }
    const written = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), waitMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(json);
        resolve();
      };
      this.waiters.set(json, done);
    });
    if (!this.flushing) this.startDrain(); // a drain in flight takes it in its next round trip
    return written;
  }

  private enqueue(event: UsageEvent): string {
    this.metrics.observe(event);
    if (this.listeners.size > 0) for (const listener of this.listeners) listener(event);
    const json = JSON.stringify(event);
    this.buffer.push(json);
    this.trim();
    return json;
  }

  /**
   * In-process observers of every recorded event (a failover drill reads its own requests'
   * attempts here). They run synchronously on the request path: quick, and never throwing.
   */
  onRecord(listener: (event: UsageEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Sends everything buffered now (tests, shutdown); resolves when Redis took it or refused it. */
  async flush(): Promise<void> {
    this.retryAt = 0;
    if (this.flushing) await this.flushing;
    if (this.buffer.length > 0) {
      this.startDrain();
      await this.flushing;
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.probe);
    this.probe = undefined;
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length > 0) this.logger.warn(`${this.buffer.length} usage event(s) not written to Redis at shutdown`);
  }

  private changeState(next: BackPressure | null): void {
    if (next) {
      this.logger.warn(
        next === STREAM_FULL
          ? `usage stream holds ${this.streamLength} entries (GATEWAY_USAGE_BACKLOG_MAX_ENTRIES=${this.maxEntries}): refusing new model calls (503 usage_backlog) until the worker catches up; no record is dropped`
          : `${this.buffer.length} usage events wait for Redis: refusing new model calls (503 usage_backlog) until it takes them`,
      );
      // No call gets in to flush and bring the stream's length: look at it on a timer.
      this.probe ??= setInterval(() => void this.measure(), PROBE_EVERY_MS).unref();
    } else {
      this.logger.log(`usage records are being kept again (stream ${this.streamLength} entries): model calls accepted`);
      clearInterval(this.probe);
      this.probe = undefined;
    }
    this.refusing = next;
  }

  /** Reads the stream's length (an XLEN alone, or rides along the next batch). */
  private async measure(): Promise<void> {
    if (this.flushing) return;
    try {
      this.noteLength((await this.redis.xaddBatch(this.stream, USAGE_EVENTS_FIELD, [])).length);
    } catch {
      // Redis away: the next flush or probe tells
    }
    this.backPressure();
  }

  private noteLength(length: number | null): void {
    if (length === null) return;
    this.streamLength = length;
    this.metrics.usageBacklog(length);
  }

  /** Past the cap, the oldest events go, a tenth at once (one splice per 5,000 events, not one per event). */
  private trim(): void {
    if (this.buffer.length <= MAX_BUFFERED) return;
    const lost = this.buffer.length - Math.floor(MAX_BUFFERED * 0.9);
    this.buffer.splice(0, lost);
    this.metrics.usageEventsDropped(lost);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.flushing) return; // the running drain picks the events up, or reschedules
      if (Date.now() < this.retryAt) this.schedule(this.retryAt - Date.now());
      else this.startDrain();
    }, ms);
    this.timer.unref();
  }

  private startDrain(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      // Events recorded while the last batch was in flight still need a trip (at once when an answer waits for one).
      if (this.buffer.length === 0) return;
      if (this.waiters.size > 0 && Date.now() >= this.retryAt) this.startDrain();
      else this.schedule(Math.max(FLUSH_EVERY_MS, this.retryAt - Date.now()));
    });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, MAX_PER_PIPELINE);
      const entries: string[][] = [];
      for (let i = 0; i < batch.length; i += EVENTS_PER_ENTRY) entries.push(batch.slice(i, i + EVENTS_PER_ENTRY));
      let failed: number[];
      try {
        const added = await this.redis.xaddBatch(
          this.stream,
          USAGE_EVENTS_FIELD,
          entries.map((events) => `[${events.join(',')}]`),
        );
        failed = added.failed;
        this.noteLength(added.length);
      } catch (err) {
        this.logger.warn(`usage events not written to Redis, will retry: ${err instanceof Error ? err.message : String(err)}`);
        failed = entries.map((_, i) => i);
      }
      if (this.waiters.size > 0) this.release(batch);
      if (failed.length > 0) {
        this.buffer.unshift(...failed.flatMap((i) => entries[i]!));
        this.trim();
        this.retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
        return;
      }
    }
  }

  /** Lets the answers of a batch go: Redis took their events, or refused them (then waiting longer would not help). */
  private release(batch: string[]): void {
    for (const json of batch) this.waiters.get(json)?.();
  }
}
