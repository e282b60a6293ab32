import type { UpstreamClient } from '@slipway/ai-providers';
import type { FailureCategory } from '@slipway/contracts';
import {
  ConcurrencyRejected,
  backoffDelay,
  shouldRetry,
  sleepUnlessCancelled,
  type BreakerRegistry,
  type CancelSignal,
  type ConcurrencyLimiter,
  type LimiterRegistry,
  type Release,
  type RetryBudget,
} from '../resilience';
import { attempt, type AttemptInput, type AttemptOutcome, type AttemptRoute } from './attempt';
import { countsAgainstBreaker } from './classify';
import { circuitKey } from './circuit-key';
import type { FaultInjector } from './fault-injector';
import type { RequestTrace } from './request-trace';
import { upstreamOrigin } from './upstream-call';
import type { UpstreamLimits } from './upstream-wiring';

type Route = AttemptRoute;
type Failed = Extract<AttemptOutcome, { kind: 'failed' }>;

/** How the route loop ended: an answer (complete or broken) the client already has, or a failure to report. */
export type RunResult =
  | { kind: 'answered'; outcome: Extract<AttemptOutcome, { kind: 'answered' }>; route: Route }
  | { kind: 'broken'; outcome: Extract<AttemptOutcome, { kind: 'broken' }>; route: Route }
  | { kind: 'aborted'; outcome?: Extract<AttemptOutcome, { kind: 'aborted' }>; route?: Route }
  | { kind: 'failed'; last: Failed | null; capacity: ConcurrencyRejected | null; openUntilMs: number | null; summary: string };

export interface RunnerDeps {
  upstream: UpstreamClient;
  limits: UpstreamLimits;
  breakers: BreakerRegistry;
  limiters: LimiterRegistry;
  /**
   * Per provider origin and organization (`<origin>|<organizationId>`): the organization's share
   * of the origin's pooled connections (GATEWAY_ORG_CONNECTION_SHARE), so that one tenant
   * flooding a provider everyone uses (the mock, api.openai.com) cannot hold every socket.
   */
  shares: LimiterRegistry;
  retryBudget: RetryBudget;
  faults: FaultInjector;
  random?: () => number;
}

/**
 * Tries the planned routes in order: per route up to `maxAttempts` with full-jitter backoff
 * (honouring retry-after / x-should-retry, within the retry budget), then the next route when
 * the failure is one the alias falls back on. Only failures before the first byte get here:
 * once a stream has started, its outcome is final.
 */
export async function runRoutes(deps: RunnerDeps, tenant: string, routes: readonly Route[], base: AttemptInput, trace: RequestTrace): Promise<RunResult> {
  let last: Failed | null = null;
  let capacity: ConcurrencyRejected | null = null;
  let openUntilMs: number | null = null;
  deps.retryBudget.recordRequest();
  for (const route of routes) {
    const key = `${route.provider.name}/${route.model}`;
    const circuit = circuitKey(tenant, key);
    const breaker = deps.breakers.get(circuit);
    const limiter = deps.limiters.get(circuit);
    const share = deps.shares.get(`${upstreamOrigin(route.provider.baseUrl)}|${tenant}`);
    for (let n = 0; n < route.maxAttempts; n++) {
      if (!breaker.tryAcquire()) {
        trace.fallbackChain.push(`${key}:circuit_open`);
        openUntilMs = Math.min(openUntilMs ?? Number.POSITIVE_INFINITY, breaker.retryAfterMs());
        break;
      }
      // A slot of the route, then one of the organization's share of the provider's connections.
      const routeSlot = limiter.tryAcquire() ?? (await slotOf(limiter, base.signal));
      const shareSlot = typeof routeSlot === 'function' ? (share.tryAcquire() ?? (await slotOf(share, base.signal))) : routeSlot;
      if (typeof shareSlot !== 'function') {
        if (typeof routeSlot === 'function') routeSlot();
        breaker.onCancel();
        if (shareSlot === ABORTED) return { kind: 'aborted' };
        capacity = shareSlot;
        trace.fallbackChain.push(`${key}:capacity`);
        break;
      }
      const release = () => {
        shareSlot();
        (routeSlot as Release)();
      };
      let outcome: AttemptOutcome;
      try {
        outcome = (deps.faults.armed ? await deps.faults.inject(circuit, base.signal) : null) ?? (await attempt(deps.upstream, deps.limits, base, route));
      } catch (err) {
        breaker.onCancel(); // a bug of ours says nothing about the provider, and must not keep the probe slot
        throw err;
      } finally {
        release();
      }
      if (outcome.kind === 'aborted') {
        breaker.onCancel();
        return { kind: 'aborted', outcome, route };
      }
      if (outcome.kind === 'answered' || outcome.kind === 'broken') {
        if (outcome.kind === 'answered') breaker.onSuccess();
        else breaker.onFailure();
        trace.fallbackChain.push(`${key}:${outcome.kind === 'answered' ? 'ok' : outcome.category}`);
        return outcome.kind === 'answered' ? { kind: 'answered', outcome, route } : { kind: 'broken', outcome, route };
      }
      trace.fallbackChain.push(`${key}:${outcome.category}`);
      if (countsAgainstBreaker(outcome.category)) breaker.onFailure();
      else breaker.onCancel();
      last = outcome;
      if (outcome.category === 'client') return { kind: 'failed', last, capacity, openUntilMs, summary: '' };
      if (n + 1 < route.maxAttempts && shouldRetry(outcome.category, outcome.shouldRetry)) {
        // The delay first: a retry-after longer than we would wait means moving on, not spending the budget.
        const delay = backoffDelay({ attempt: n, retryAfter: outcome.retryAfter, retryAfterMs: outcome.retryAfterMs, random: deps.random });
        if (delay !== null && deps.retryBudget.tryRetry()) {
          trace.retries++;
          if (!(await sleepUnlessCancelled(delay, base.signal))) return { kind: 'aborted' };
          continue;
        }
      }
      if (!route.fallbackOn.has(outcome.category as FailureCategory)) return { kind: 'failed', last, capacity, openUntilMs, summary: summaryOf(trace) };
      break;
    }
  }
  return { kind: 'failed', last, capacity, openUntilMs, summary: summaryOf(trace) };
}

const ABORTED = Symbol('aborted');

/** Waits in a limiter's line: its slot, the rejection to report (429), or ABORTED when the client left. */
async function slotOf(limiter: ConcurrencyLimiter, signal: CancelSignal): Promise<Release | ConcurrencyRejected | typeof ABORTED> {
  try {
    return await limiter.acquire(signal);
  } catch (err) {
    return err instanceof ConcurrencyRejected ? err : ABORTED;
  }
}

function summaryOf(trace: RequestTrace): string {
  return trace.fallbackChain.join(', ');
}
