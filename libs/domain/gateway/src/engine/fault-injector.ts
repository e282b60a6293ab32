import type { FailureCategory } from '@slipway/contracts';
import { sleepUnlessCancelled, type CancelSignal } from '../resilience';
import type { AttemptOutcome } from './attempt';

/** A fault the gateway pretends a route returned, for failover drills: no provider is harmed. */
export interface InjectedFault {
  /** `provider/model` of the route to break. */
  routeKey: string;
  kind: 'status' | 'timeout';
  /** For `status`: 429, 500, 503, 529 … */
  status?: number;
  retryAfterSeconds?: number;
  /** Share of matching attempts that fail (0–1]. */
  probability: number;
  /** Simulated time before the failure shows (a timeout takes this long). */
  delayMs: number;
  untilMs: number;
}

const categoryOf = (status: number): FailureCategory => (status === 429 ? 'rate_limit' : status === 529 || status === 503 ? 'overloaded' : 'server_error');

/** In-process fault injection, consulted before each attempt; empty (one Map lookup) in normal operation. */
export class FaultInjector {
  private readonly faults = new Map<string, InjectedFault>();

  constructor(private readonly random: () => number = Math.random) {}

  /** False while no drill runs: the hot path then skips the injector altogether. */
  get armed(): boolean {
    return this.faults.size > 0;
  }

  set(fault: InjectedFault): void {
    this.faults.set(fault.routeKey, fault);
  }

  clear(routeKey: string): void {
    this.faults.delete(routeKey);
  }

  active(): InjectedFault[] {
    const now = Date.now();
    return [...this.faults.values()].filter((f) => f.untilMs > now);
  }

  async inject(routeKey: string, signal: CancelSignal): Promise<AttemptOutcome | null> {
    if (this.faults.size === 0) return null;
    const fault = this.faults.get(routeKey);
    if (!fault) return null;
    if (fault.untilMs <= Date.now()) {
      this.faults.delete(routeKey);
      return null;
    }
    if (this.random() >= fault.probability) return null;
    // A simulated timeout ends early when the client leaves, as a real one would.
    if (fault.delayMs > 0 && !(await sleepUnlessCancelled(fault.delayMs, signal))) return { kind: 'aborted' };
    if (signal.aborted) return { kind: 'aborted' };
    const status = fault.kind === 'status' ? (fault.status ?? 503) : null;
    return {
      kind: 'failed',
      category: status === null ? 'timeout' : categoryOf(status),
      message: `${routeKey}: injected ${fault.kind === 'status' ? `HTTP ${status}` : 'timeout'} (failover drill)`,
      status,
      errorBody: null,
      upstreamFormat: 'anthropic',
      retryAfter: fault.retryAfterSeconds !== undefined ? String(fault.retryAfterSeconds) : null,
      retryAfterMs: null,
      shouldRetry: null,
    };
  }
}
