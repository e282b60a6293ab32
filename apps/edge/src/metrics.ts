import { LATENCY_BUCKETS_MS, type EdgeMetrics } from '@slipway/contracts';

// The bounds are shared with the observability pipeline (stored histograms must match them).
export { LATENCY_BUCKETS_MS };

/** Index of the bucket a duration falls in (`<= bound`); `LATENCY_BUCKETS_MS.length` is +Inf. */
export function bucketIndex(ms: number, bounds: readonly number[] = LATENCY_BUCKETS_MS): number {
  let i = 0;
  while (i < bounds.length && ms > bounds[i]!) i++;
  return i;
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

export function statusClass(status: number): StatusClass | undefined {
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 300 && status < 400) return '3xx';
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return undefined; // 1xx (upgrades): counted as requests only
}

export interface ReleaseCounters {
  releaseId: string;
  environmentId: string;
  requests: number;
  status: Record<StatusClass, number>;
  /** Per bucket (not cumulative); one more entry than LATENCY_BUCKETS_MS. */
  latencyCounts: number[];
  latencySumMs: number;
}

const fresh = (releaseId: string, environmentId: string): ReleaseCounters => ({
  releaseId,
  environmentId,
  requests: 0,
  status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
  latencyCounts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  latencySumMs: 0,
});

function add(c: ReleaseCounters, status: number, ms: number): void {
  c.requests++;
  const cls = statusClass(status);
  if (cls) c.status[cls]++;
  c.latencyCounts[bucketIndex(ms)]!++;
  c.latencySumMs += ms;
}

/**
 * Per-release request counters: a window that `drain()` empties every flush (stream entries)
 * and lifetime totals for the Prometheus page. Recording is a few increments, no I/O.
 */
export class EdgeMetricsCollector {
  private window = new Map<string, ReleaseCounters>();
  private windowStart = new Date();
  private readonly totals = new Map<string, ReleaseCounters>();
  /** Requests for hosts without a route (the 503 page and /__edge/*). */
  unrouted = 0;

  record(releaseId: string, environmentId: string, status: number, ms: number): void {
    let w = this.window.get(releaseId);
    if (!w) this.window.set(releaseId, (w = fresh(releaseId, environmentId)));
    add(w, status, ms);
    let t = this.totals.get(releaseId);
    if (!t) this.totals.set(releaseId, (t = fresh(releaseId, environmentId)));
    add(t, status, ms);
  }

  /** One `EdgeMetrics` per release seen since the last drain; resets the window. */
  drain(now = new Date()): EdgeMetrics[] {
    const from = this.windowStart.toISOString();
    const to = now.toISOString();
    const out: EdgeMetrics[] = [];
    for (const c of this.window.values()) {
      out.push({
        releaseId: c.releaseId,
        environmentId: c.environmentId,
        from,
        to,
        requests: c.requests,
        status: { ...c.status },
        latencyBucketsMs: [...LATENCY_BUCKETS_MS],
        latencyCounts: [...c.latencyCounts],
      });
    }
    this.window = new Map();
    this.windowStart = now;
    return out;
  }

  /** Lifetime counters; releases not in `keep` and idle since the last drain are forgotten. */
  lifetime(): Iterable<ReleaseCounters> {
    return this.totals.values();
  }

  forgetExcept(keep: ReadonlySet<string>): void {
    for (const id of this.totals.keys()) if (!keep.has(id) && !this.window.has(id)) this.totals.delete(id);
  }
}
