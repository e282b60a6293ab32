import type { CancelSignal } from './client-gone';
import { type Clock, systemClock } from './clock';

export type Release = () => void;

export interface ConcurrencyOptions {
  limit: number;
  queueSize: number;
  queueTimeoutMs: number;
}

/** A request turned away by a provider's concurrency limit; the engine answers 429 with this retry-after. */
export class ConcurrencyRejected extends Error {
  override readonly name = 'ConcurrencyRejected';

  constructor(
    readonly reason: 'queue_full' | 'queue_timeout',
    /** Whole seconds, at least 1: the expected wait for a slot, from recent hold times. */
    readonly retryAfterSeconds: number,
  ) {
    super(reason === 'queue_full' ? 'Too many requests are waiting for this provider.' : 'No slot for this provider freed up in time.');
  }
}

interface Waiter {
  resolve: (release: Release) => void;
  timer: ReturnType<typeof setTimeout>;
  signal: CancelSignal | undefined;
  onAbort: (() => void) | undefined;
  prev: Waiter | null;
  next: Waiter | null;
}

const HOLD_SMOOTHING = 0.2;
const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * At most `limit` calls in flight per provider, then a FIFO queue of at most `queueSize` waiting
 * at most `queueTimeoutMs` (a timer; the clock only measures hold times for the retry-after).
 * The queue is a linked list so a timeout or abort leaves it in O(1). A freed slot goes straight
 * to the oldest waiter, so no slot is ever free while someone waits and tryAcquire cannot jump the line.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private waiting = 0;
  private head: Waiter | null = null;
  private tail: Waiter | null = null;
  private averageHoldMs = 0;

  constructor(
    private readonly opts: ConcurrencyOptions,
    private readonly clock: Clock = systemClock,
  ) {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new RangeError('Concurrency limit must be a whole number of at least 1.');
    if (!(opts.queueSize >= 0) || !(opts.queueTimeoutMs >= 0)) throw new RangeError('Queue size and timeout cannot be negative.');
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting;
  }

  /** The hot path: a slot now (call the release exactly when done; extra calls are ignored) or null. */
  tryAcquire(): Release | null {
    if (this.active >= this.opts.limit) return null;
    return this.grant();
  }

  /** A slot now, or after waiting in line; rejects with ConcurrencyRejected, or the signal's reason when aborted. */
  acquire(signal?: CancelSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = this.tryAcquire();
    if (release) return Promise.resolve(release);
    if (this.waiting >= this.opts.queueSize) return Promise.reject(this.rejection('queue_full'));
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, signal, onAbort: undefined, prev: this.tail, next: null, timer: undefined as never };
      waiter.timer = setTimeout(() => {
        this.unlink(waiter);
        reject(this.rejection('queue_timeout'));
      }, this.opts.queueTimeoutMs);
      if (signal) {
        waiter.onAbort = () => {
          this.unlink(waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (this.tail) this.tail.next = waiter;
      else this.head = waiter;
      this.tail = waiter;
      this.waiting++;
    });
  }

  private grant(): Release {
    this.active++;
    const startedAt = this.clock.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.recordHold(this.clock.now() - startedAt);
      this.active--;
      const next = this.head;
      if (next && this.active < this.opts.limit) {
        this.unlink(next);
        next.resolve(this.grant());
      }
    };
  }

  private unlink(waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.tail = waiter.prev;
    waiter.prev = waiter.next = null;
    this.waiting--;
    clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  private recordHold(ms: number): void {
    this.averageHoldMs = this.averageHoldMs === 0 ? ms : this.averageHoldMs + HOLD_SMOOTHING * (ms - this.averageHoldMs);
  }

  /** Expected wait for a slot: everyone ahead (and this caller) served `limit` at a time, at the average hold time. */
  private rejection(reason: ConcurrencyRejected['reason']): ConcurrencyRejected {
    const waitMs = (this.averageHoldMs * (this.waiting + 1)) / this.opts.limit;
    return new ConcurrencyRejected(reason, Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(waitMs / 1000))));
  }
}

/** One limiter per provider, created on first use with the same options. */
/** Past this many limiters, idle ones are forgotten (oldest first): keys include model names callers choose. */
export const MAX_LIMITERS = 10_000;

export class LimiterRegistry {
  private readonly limiters = new Map<string, ConcurrencyLimiter>();

  constructor(
    private readonly opts: ConcurrencyOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  get(key: string): ConcurrencyLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      if (this.limiters.size >= MAX_LIMITERS) this.forgetIdle();
      limiter = new ConcurrencyLimiter(this.opts, this.clock);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  get size(): number {
    return this.limiters.size;
  }

  /** Drops limiters with nothing in flight or queued, oldest first, down to 90 % of the cap. */
  private forgetIdle(): void {
    for (const [key, limiter] of this.limiters) {
      if (this.limiters.size < MAX_LIMITERS * 0.9) return;
      if (limiter.inFlight === 0 && limiter.queued === 0) this.limiters.delete(key);
    }
  }
}
