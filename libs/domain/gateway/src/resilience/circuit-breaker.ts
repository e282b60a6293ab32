import { type Clock, systemClock } from './clock';
import { SlidingCounter } from './sliding-counter';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerTransition {
  key: string;
  from: BreakerState;
  to: BreakerState;
  at: number;
  reason: string;
}

export interface BreakerOptions {
  /** Consecutive counted failures that open the breaker. */
  failureThreshold: number;
  /** …or this share of failures over `windowMs`, once the window holds `minRequests` outcomes. */
  failureRateThreshold?: number;
  windowMs?: number;
  minRequests?: number;
  /** Cooldown before a probe is let through; doubled on each failed probe up to `maxOpenMs`. */
  openMs: number;
  maxOpenMs?: number;
  /** Probes allowed in flight at once while half-open. */
  halfOpenProbes?: number;
}

const DEFAULTS: Required<BreakerOptions> = {
  failureThreshold: 5,
  failureRateThreshold: 0.5,
  windowMs: 10_000,
  minRequests: 10,
  openMs: 5_000,
  maxOpenMs: 60_000,
  halfOpenProbes: 1,
};

/**
 * One breaker per provider+model (the registry creates them lazily). It applies also when a route
 * is the only one: an open breaker fails fast with a retry-after instead of queueing on a dead
 * provider. Outcomes are reported without saying which call they belong to, so in half-open the
 * first success closes and the first counted failure re-opens, even from a call started before
 * the breaker opened: either is fresh evidence about the provider.
 */
export class CircuitBreaker {
  private readonly opts: Required<BreakerOptions>;
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private readonly outcomes: SlidingCounter;
  private readonly failures: SlidingCounter;
  private openedAt = 0;
  private cooldownMs: number;
  private probesInFlight = 0;

  constructor(
    readonly key: string,
    opts: Partial<BreakerOptions> = {},
    private readonly clock: Clock = systemClock,
    private readonly onTransition?: (t: BreakerTransition) => void,
  ) {
    this.opts = breakerOptions(opts);
    this.cooldownMs = this.opts.openMs;
    this.outcomes = new SlidingCounter(this.opts.windowMs);
    this.failures = new SlidingCounter(this.opts.windowMs);
  }

  /** Evaluates open → half_open on read once the cooldown has passed. */
  state(): BreakerState {
    if (this.current === 'open') {
      const due = this.openedAt + this.cooldownMs;
      if (this.clock.now() >= due) this.moveTo('half_open', due, `cooldown of ${this.cooldownMs} ms elapsed`);
    }
    return this.current;
  }

  /** Try to take a slot: false when open (or half-open probes exhausted). */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.probesInFlight >= this.opts.halfOpenProbes) return false;
    this.probesInFlight++;
    return true;
  }

  onSuccess(): void {
    const state = this.state();
    if (state === 'closed') {
      this.consecutiveFailures = 0;
      this.outcomes.add(this.clock.now());
    } else if (state === 'half_open') {
      this.close('probe succeeded');
    }
    // While open, a late success of a call started earlier changes nothing: the cooldown decides.
  }

  /** Only for failure categories that count (the engine decides: client errors don't). */
  onFailure(): void {
    const state = this.state();
    const now = this.clock.now();
    if (state === 'half_open') {
      this.cooldownMs = Math.min(this.opts.maxOpenMs, this.cooldownMs * 2);
      this.open(now, `probe failed; next probe in ${this.cooldownMs} ms`);
      return;
    }
    if (state === 'open') return;
    this.consecutiveFailures++;
    this.outcomes.add(now);
    this.failures.add(now);
    if (this.consecutiveFailures >= this.opts.failureThreshold) {
      this.open(now, `${this.consecutiveFailures} consecutive failures`);
      return;
    }
    const outcomes = this.outcomes.total(now);
    const failures = this.failures.total(now);
    if (outcomes >= this.opts.minRequests && failures / outcomes >= this.opts.failureRateThreshold) {
      this.open(now, `${failures} of ${outcomes} calls failed within ${this.opts.windowMs} ms`);
    }
  }

  /** Release a slot without outcome (e.g. the client aborted). */
  onCancel(): void {
    if (this.current === 'half_open' && this.probesInFlight > 0) this.probesInFlight--;
  }

  /** Ms until a probe is allowed (for retry-after when failing fast); 0 when not open. */
  retryAfterMs(): number {
    if (this.state() !== 'open') return 0;
    return Math.max(1, this.openedAt + this.cooldownMs - this.clock.now());
  }

  private open(now: number, reason: string): void {
    this.openedAt = now;
    this.moveTo('open', now, reason);
  }

  private close(reason: string): void {
    this.cooldownMs = this.opts.openMs;
    this.consecutiveFailures = 0;
    this.outcomes.reset();
    this.failures.reset();
    this.moveTo('closed', this.clock.now(), reason);
  }

  private moveTo(to: BreakerState, at: number, reason: string): void {
    const from = this.current;
    this.current = to;
    this.probesInFlight = 0;
    this.onTransition?.({ key: this.key, from, to, at, reason });
  }
}

function breakerOptions(opts: Partial<BreakerOptions>): Required<BreakerOptions> {
  const merged = { ...DEFAULTS };
  for (const [name, value] of Object.entries(opts) as [keyof BreakerOptions, number | undefined][]) {
    if (value === undefined) continue;
    if (!(value > 0)) throw new RangeError(`Breaker option ${name} must be above 0 (got ${value}).`);
    merged[name] = value;
  }
  if (merged.failureRateThreshold > 1) throw new RangeError('Breaker option failureRateThreshold is a share between 0 and 1.');
  merged.maxOpenMs = Math.max(merged.maxOpenMs, merged.openMs);
  return merged;
}
