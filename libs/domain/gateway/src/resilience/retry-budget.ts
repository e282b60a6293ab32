import { type Clock, systemClock } from './clock';
import { SlidingCounter } from './sliding-counter';

export interface RetryBudgetOptions {
  /** Retries allowed as a share of requests (0.2 = one retry per five requests). */
  ratio?: number;
  windowMs?: number;
  /** A floor so low traffic can still retry: this many per second of window on top of the ratio. */
  minRetriesPerSecond?: number;
}

/**
 * Retry budget (as in Envoy and Finagle): over a sliding window, retries ≤ ratio × requests +
 * minRetriesPerSecond × window seconds, so an outage multiplies load by at most 1 + ratio instead
 * of by the attempt count. Call recordRequest() once per incoming request, not per attempt.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly floor: number;
  private readonly requests: SlidingCounter;
  private readonly retries: SlidingCounter;

  constructor(
    opts: RetryBudgetOptions = {},
    private readonly clock: Clock = systemClock,
  ) {
    const { ratio = 0.2, windowMs = 10_000, minRetriesPerSecond = 1 } = opts;
    if (!(ratio >= 0) || !(windowMs > 0) || !(minRetriesPerSecond >= 0))
      throw new RangeError('Retry budget options must be positive numbers.');
    this.ratio = ratio;
    this.floor = (minRetriesPerSecond * windowMs) / 1000;
    this.requests = new SlidingCounter(windowMs);
    this.retries = new SlidingCounter(windowMs);
  }

  recordRequest(): void {
    this.requests.add(this.clock.now());
  }

  /** Consumes one retry when the budget allows it. */
  tryRetry(): boolean {
    const now = this.clock.now();
    if (this.retries.total(now) + 1 > this.ratio * this.requests.total(now) + this.floor) return false;
    this.retries.add(now);
    return true;
  }

  /** Requests and retries within the current window. */
  stats(): { requests: number; retries: number } {
    const now = this.clock.now();
    return { requests: this.requests.total(now), retries: this.retries.total(now) };
  }
}
