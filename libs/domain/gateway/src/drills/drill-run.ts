import { DRILL_MAX_REQUESTS, DRILL_TAIL_SECONDS, type DrillPlan, type DrillReport, type UsageEvent } from '@slipway/contracts';
import { circuitKey, routeKeyOf, type InjectedFault } from '../engine';
import type { BreakerTransition } from '../resilience';
import { runDrillLoad } from './drill-load';
import { buildDrillReport, type DrillEvent, type DrillTransition } from './drill-report';
import type { DrillTarget } from './drill-target';

/** The parts of the engine and the usage recorder a drill uses. */
export interface DrillDeps {
  faults: { set(fault: InjectedFault): void; clear(routeKey: string): void };
  breakers: { onTransition(listener: (t: BreakerTransition) => void): () => void };
  usage: { onRecord(listener: (event: UsageEvent) => void): () => void };
}

export interface DrillRunInput {
  drillId: string;
  /** The organization whose route is drilled: faults and breakers are per organization. */
  organizationId: string;
  plan: DrillPlan;
  target: DrillTarget;
  baseUrl: string;
  token: string;
  signal: AbortSignal;
}

/** An injected timeout hangs this long at most, so a drill of a 60 s first-byte timeout still shows failovers. */
const MAX_TIMEOUT_DELAY_MS = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** How long the report waits for the engine to record the drill's last requests. */
const EVENTS_GRACE_MS = 1_000;

/**
 * One drill: the fault goes on, the load runs for the fault's duration plus a tail (so the
 * breaker's half-open probe and recovery show), then the fault comes off — also when the load
 * fails or the api stops. The drill's own requests are recognised by their feature tag.
 */
export async function runDrill(deps: DrillDeps, input: DrillRunInput): Promise<DrillReport> {
  const { plan, target } = input;
  const feature = `drill-${input.drillId}`;
  const circuit = circuitKey(input.organizationId, target.routeKey);
  const watched = new Set(target.aliasRouteKeys.map((k) => circuitKey(input.organizationId, k)));
  const events: DrillEvent[] = [];
  const transitions: DrillTransition[] = [];
  const startedAt = Date.now();
  const t0 = performance.now();

  const stopEvents = deps.usage.onRecord((e) => {
    if (e.feature === feature) events.push({ id: e.id, errorCategory: e.errorCategory, fallbackChain: e.fallbackChain });
  });
  const stopTransitions = deps.breakers.onTransition((t) => {
    if (watched.has(t.key)) transitions.push({ atMs: Math.max(0, Math.round(t.at - startedAt)), key: routeKeyOf(t.key), from: t.from, to: t.to, reason: t.reason });
  });
  const durationMs = plan.durationSeconds * 1000;
  deps.faults.set(faultOf(plan, target, circuit, startedAt + durationMs));
  try {
    const samples = await runDrillLoad({
      baseUrl: input.baseUrl,
      token: input.token,
      alias: target.alias,
      feature,
      concurrency: plan.concurrency,
      durationMs: durationMs + DRILL_TAIL_SECONDS * 1000,
      maxRequests: DRILL_MAX_REQUESTS,
      t0,
      signal: input.signal,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    input.signal.throwIfAborted();
    const expected = new Set(samples.flatMap((s) => (s.requestId ? [s.requestId] : [])));
    await until(() => events.filter((e) => expected.has(e.id)).length >= expected.size, EVENTS_GRACE_MS);
    return buildDrillReport({ target: target.routeKey, samples, events, transitions });
  } finally {
    deps.faults.clear(circuit);
    stopEvents();
    stopTransitions();
  }
}

function faultOf(plan: DrillPlan, target: DrillTarget, circuit: string, untilMs: number): InjectedFault {
  const fault: InjectedFault = {
    routeKey: circuit,
    kind: plan.fault.kind,
    probability: 1,
    delayMs: plan.fault.kind === 'timeout' ? Math.min(target.firstByteMs, MAX_TIMEOUT_DELAY_MS) : 0,
    untilMs,
  };
  if (plan.fault.kind === 'status') fault.status = plan.fault.status ?? 503;
  if (plan.fault.retryAfterSeconds !== undefined) fault.retryAfterSeconds = plan.fault.retryAfterSeconds;
  return fault;
}

async function until(ready: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ready() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
