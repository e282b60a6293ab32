import type { DrillReport } from '@slipway/contracts';

/** One synthetic request as the load saw it; times are ms since the fault started. */
export interface DrillSample {
  startMs: number;
  endMs: number;
  /** HTTP status, 0 when the request never got an answer (connection refused, reset, timed out). */
  status: number;
  /** `x-slipway-request-id`: joins the sample to the usage event the engine recorded. */
  requestId: string | null;
  /** `provider/model` from `x-slipway-provider` / `x-slipway-model`. */
  servedBy: string | null;
}

/** The part of a usage event a drill reads: what the engine tried for the request. */
export interface DrillEvent {
  id: string;
  errorCategory: string | null;
  /** `provider/model:outcome` per attempt, in order (`…:circuit_open` and `…:capacity` were skipped, not called). */
  fallbackChain: readonly string[];
}

export type DrillTransition = DrillReport['breakerTransitions'][number];

const NOT_CALLED = new Set(['circuit_open', 'capacity']);

/** Route key and outcome of a chain entry; null for entries that are not attempts (`downgrade:…`). */
function parseEntry(entry: string): { key: string; outcome: string } | null {
  if (entry.startsWith('downgrade:')) return null;
  const at = entry.lastIndexOf(':');
  return at > 0 ? { key: entry.slice(0, at), outcome: entry.slice(at + 1) } : null;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * What the drill showed: the client's view (success, latency, who answered, when another route
 * first answered) joined with the engine's (attempts per request, error categories) and the
 * breakers' state changes.
 */
export function buildDrillReport(input: {
  target: string;
  samples: readonly DrillSample[];
  events: readonly DrillEvent[];
  transitions: readonly DrillTransition[];
}): DrillReport {
  const { target, samples } = input;
  const events = new Map(input.events.map((e) => [e.id, e]));
  let succeeded = 0;
  let failoverMs: number | null = null;
  const servedBy: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const seconds = new Map<number, { requests: number; succeeded: number; fallbacks: number }>();

  for (const sample of samples) {
    const event = sample.requestId ? events.get(sample.requestId) : undefined;
    const entries = (event?.fallbackChain ?? []).flatMap((e) => parseEntry(e) ?? []);
    const second = Math.max(0, Math.floor(sample.endMs / 1000));
    const bucket = seconds.get(second) ?? { requests: 0, succeeded: 0, fallbacks: 0 };
    seconds.set(second, bucket);
    bucket.requests++;
    if (sample.status < 200 || sample.status > 299) {
      const category = event?.errorCategory ?? (sample.status === 0 ? 'network' : `http_${sample.status}`);
      errors[category] = (errors[category] ?? 0) + 1;
      continue;
    }
    succeeded++;
    bucket.succeeded++;
    const served = sample.servedBy ?? entries.findLast((e) => e.outcome === 'ok')?.key ?? 'unknown';
    servedBy[served] = (servedBy[served] ?? 0) + 1;
    if (entries.length > 0 && entries[0]!.key !== served) bucket.fallbacks++;
    // Failover: another route answered a request that met the faulty route (or skipped it).
    const metTarget = event ? entries.some((e) => e.key === target) : true;
    if (served !== target && metTarget && (failoverMs === null || sample.endMs < failoverMs)) failoverMs = sample.endMs;
  }

  let upstreamAttempts = 0;
  for (const event of input.events) {
    for (const entry of event.fallbackChain) {
      const parsed = parseEntry(entry);
      if (parsed && !NOT_CALLED.has(parsed.outcome)) upstreamAttempts++;
    }
  }

  const latencies = samples.map((s) => Math.max(0, Math.round(s.endMs - s.startMs))).sort((a, b) => a - b);
  const last = Math.max(-1, ...seconds.keys());
  const requests = samples.length;
  return {
    requests,
    succeeded,
    failed: requests - succeeded,
    successRate: requests === 0 ? 0 : round(succeeded / requests, 4),
    failoverMs: failoverMs === null ? null : Math.round(failoverMs),
    breakerTransitions: [...input.transitions].sort((a, b) => a.atMs - b.atMs),
    upstreamAttempts,
    retryAmplification: requests === 0 ? 0 : round(upstreamAttempts / requests, 3),
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1) ?? 0 },
    servedBy,
    errors,
    timeline: Array.from({ length: last + 1 }, (_, second) => ({ second, ...(seconds.get(second) ?? { requests: 0, succeeded: 0, fallbacks: 0 }) })),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
