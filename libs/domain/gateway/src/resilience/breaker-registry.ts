import { type BreakerOptions, type BreakerState, type BreakerTransition, CircuitBreaker } from './circuit-breaker';
import { type Clock, systemClock } from './clock';

/** Past this many breakers, closed ones are forgotten (oldest first): keys include model names callers choose. */
export const MAX_BREAKERS = 10_000;

/** Breakers keyed by organization+provider+model, created on first use; transitions fan out to every listener. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly listeners = new Set<(t: BreakerTransition) => void>();
  private readonly emit = (t: BreakerTransition): void => {
    for (const listener of this.listeners) listener(t);
  };

  constructor(
    private readonly opts: Partial<BreakerOptions> = {},
    private readonly clock: Clock = systemClock,
  ) {}

  get(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      if (this.breakers.size >= MAX_BREAKERS) this.forgetClosed();
      breaker = new CircuitBreaker(key, this.opts, this.clock, this.emit);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  get size(): number {
    return this.breakers.size;
  }

  /** Drops closed breakers, oldest first, down to 90 % of the cap; open and half-open ones stay. */
  private forgetClosed(): void {
    for (const [key, breaker] of this.breakers) {
      if (this.breakers.size < MAX_BREAKERS * 0.9) return;
      if (breaker.state() === 'closed') this.breakers.delete(key);
    }
  }

  /** Listeners run synchronously on the request path, so they must be quick and must not throw. Returns an unsubscribe. */
  onTransition(listener: (t: BreakerTransition) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  snapshot(): { key: string; state: BreakerState }[] {
    return [...this.breakers.values()].map((b) => ({ key: b.key, state: b.state() }));
  }
}
