import { EDGE_OTHER_PATH, EDGE_PATHS_PER_RELEASE, LATENCY_BUCKETS_MS, type EdgeMetrics, type EdgePathMetrics } from '@slipway/contracts';
import { normalizePath } from './path-normalizer';

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

/** One normalised path's counters within a window. */
interface PathCounters {
  requests: number;
  status4xx: number;
  status5xx: number;
  latencyCounts: number[];
}

export interface ReleaseCounters {
  releaseId: string;
  environmentId: string;
  requests: number;
  status: Record<StatusClass, number>;
  /** Per bucket (not cumulative); one more entry than LATENCY_BUCKETS_MS. */
  latencyCounts: number[];
  latencySumMs: number;
  /** Window counters only (lifetime totals keep no paths: Prometheus series must stay few). */
  paths?: Map<string, PathCounters>;
}

const freshPath = (): PathCounters => ({ requests: 0, status4xx: 0, status5xx: 0, latencyCounts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0) });

const fresh = (releaseId: string, environmentId: string): ReleaseCounters => ({
  releaseId,
  environmentId,
  requests: 0,
  status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
  latencyCounts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  latencySumMs: 0,
});

function add(c: ReleaseCounters, status: number, ms: number, bucket: number): void {
  c.requests++;
  const cls = statusClass(status);
  if (cls) c.status[cls]++;
  c.latencyCounts[bucket]!++;
  c.latencySumMs += ms;
}

/** Counts `url`'s normalised path; past EDGE_PATHS_PER_RELEASE distinct paths in the window, under EDGE_OTHER_PATH. */
function addPath(c: ReleaseCounters, url: string | undefined, status: number, bucket: number): void {
  const paths = (c.paths ??= new Map());
  const path = normalizePath(url);
  let p = paths.get(path);
  if (!p) {
    const key = paths.size < EDGE_PATHS_PER_RELEASE ? path : EDGE_OTHER_PATH;
    p = paths.get(key);
    if (!p) paths.set(key, (p = freshPath()));
  }
  p.requests++;
  if (status >= 500 && status < 600) p.status5xx++;
  else if (status >= 400 && status < 500) p.status4xx++;
  p.latencyCounts[bucket]!++;
}

function pathEntries(paths: Map<string, PathCounters> | undefined): EdgePathMetrics[] | undefined {
  if (!paths) return undefined;
  return [...paths].map(([path, p]) => ({ path, requests: p.requests, status4xx: p.status4xx, status5xx: p.status5xx, latencyCounts: p.latencyCounts }));
}

export interface EdgeMetricsOptions {
  /** Count normalised paths per release (the top-paths panel); on by default. */
  paths?: boolean;
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

  private readonly countPaths: boolean;

  constructor(options: EdgeMetricsOptions = {}) {
    this.countPaths = options.paths ?? true;
  }

  /** `url` is the request target (`/users/42?x=1`); it is normalised, never stored as is. */
  record(releaseId: string, environmentId: string, status: number, ms: number, url?: string): void {
    const bucket = bucketIndex(ms);
    let w = this.window.get(releaseId);
    if (!w) this.window.set(releaseId, (w = fresh(releaseId, environmentId)));
    add(w, status, ms, bucket);
    if (this.countPaths) addPath(w, url, status, bucket);
    let t = this.totals.get(releaseId);
    if (!t) this.totals.set(releaseId, (t = fresh(releaseId, environmentId)));
    add(t, status, ms, bucket);
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
        ...(c.paths ? { paths: pathEntries(c.paths) } : {}),
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
