import type { MarketplaceUsageEvent } from '@slipway/contracts';

/** Where batches go: one XADD per batch (MarketplaceEdgeStore.appendUsage). */
export interface UsageSink {
  appendUsage(events: readonly MarketplaceUsageEvent[]): Promise<unknown>;
}

export interface UsageMeterOptions {
  /** Longest an event waits before its batch is appended. Default 100 ms. */
  intervalMs?: number;
  /** Events per XADD; a full batch is appended at once. Default 500. */
  batchSize?: number;
  /**
   * Events held in memory while appends fail. At this many, `accepting` turns false and the
   * edge refuses new calls to listings with 503 rather than serve calls it could not bill.
   * Default 100,000.
   */
  maxPending?: number;
  onError?: (err: Error, pending: number) => void;
}

/**
 * Queues the usage events of answered calls and appends them to the usage stream in batches,
 * off the response path. A failed append keeps its batch, in order, and is retried on the next
 * tick; nothing is dropped. Appends never overlap, so batches reach the stream in order.
 */
export class UsageMeter {
  private queue: MarketplaceUsageEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly maxPending: number;
  /** Events appended since start (for tests and the admin status). */
  appended = 0;

  constructor(
    private readonly sink: UsageSink,
    private readonly options: UsageMeterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.batchSize = options.batchSize ?? 500;
    this.maxPending = options.maxPending ?? 100_000;
  }

  /** False while the backlog is full: new calls must be refused (their events could not be kept). */
  get accepting(): boolean {
    return this.queue.length < this.maxPending;
  }

  get pending(): number {
    return this.queue.length;
  }

  record(event: MarketplaceUsageEvent): void {
    // Admitted before the backlog filled up: kept anyway (a call already served is billed).
    this.queue.push(event);
    if (this.queue.length >= this.batchSize && !this.flushing) void this.flush();
    else this.schedule();
  }

  /** Appends everything queued, batch by batch; resolves when done or when an append failed (kept for the next try). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.schedule();
    });
    return this.flushing;
  }

  /** Stop the timer and append what is left, waiting at most `timeoutMs`; returns how many events could not be appended. */
  async stop(timeoutMs = 2_000): Promise<number> {
    this.stopped = true;
    clearTimeout(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      await Promise.race([this.flush(), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())).unref())]);
      if (this.queue.length > 0) await new Promise((r) => setTimeout(r, 50));
    }
    return this.queue.length;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.batchSize);
      try {
        await this.sink.appendUsage(batch);
      } catch (err) {
        this.options.onError?.(err as Error, this.queue.length);
        return; // kept at the head of the queue; retried on the next tick
      }
      this.queue.splice(0, batch.length);
      this.appended += batch.length;
    }
  }
}
