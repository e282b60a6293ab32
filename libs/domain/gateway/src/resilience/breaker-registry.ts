import { type BreakerOptions, type BreakerState, type BreakerTransition, CircuitBreaker } from './circuit-breaker';
import { type Clock, systemClock } from './clock';

/** Breakers keyed by provider+model, created on first use; transitions fan out to every listener. */
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
      breaker = new CircuitBreaker(key, this.opts, this.clock, this.emit);
      this.breakers.set(key, breaker);
    }
    return breaker;
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
