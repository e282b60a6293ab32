import { LATENCY_BUCKETS_MS } from '@slipway/contracts';
import type { OtlpHistogramPoint, OtlpResource, OtlpResourceMetrics, OtlpScope, OtlpSumPoint } from '@slipway/otlp';
import type { ResourceBook } from './otlp-resource';
import { tenantKey } from './otlp-resource';

/** One AppTrafficMinute row, as the export reads it. */
export interface TrafficMinuteRow {
  bucket: Date;
  projectId: string;
  environmentId: string;
  releaseId: string;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  /** LATENCY_BUCKETS_MS.length + 1 counts, per bucket, the last +Inf. */
  latencyCounts: number[];
}

export const EDGE_SCOPE: OtlpScope = { name: 'slipway.edge' };
/** OpenTelemetry's HTTP semantic conventions measure durations in seconds. */
const BOUNDS_SECONDS = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);
const CLASSES = [
  ['2xx', 'status2xx'],
  ['3xx', 'status3xx'],
  ['4xx', 'status4xx'],
  ['5xx', 'status5xx'],
] as const;

/**
 * Minute rollups → OTLP metrics, one resource per release, one DELTA point per minute:
 * - `http.server.request.duration` (histogram, seconds; the semantic convention's name and
 *   unit), with the edge's buckets as explicit bounds — the time to the upstream's response;
 * - `slipway.http.server.request.count` (monotonic counter) per `slipway.http.status_class`:
 *   the edge counts status classes, not codes, so `http.response.status_code` (an exact code)
 *   would be a lie; a class is a Slipway attribute.
 * Rows of a release whose tenant rows are gone are skipped (nothing to name them by).
 */
export function trafficMetrics(rows: readonly TrafficMinuteRow[], resources: ResourceBook): OtlpResourceMetrics[] {
  const byRelease = new Map<string, { resource: OtlpResource; durations: OtlpHistogramPoint[]; counts: OtlpSumPoint[] }>();
  for (const row of rows) {
    const resource = resources.get(tenantKey(row.projectId, row.environmentId, row.releaseId));
    if (!resource) continue;
    let entry = byRelease.get(row.releaseId);
    if (!entry) byRelease.set(row.releaseId, (entry = { resource, durations: [], counts: [] }));
    const startMs = row.bucket.getTime();
    const endMs = startMs + 60_000;
    entry.durations.push({ startMs, endMs, attributes: {}, bounds: BOUNDS_SECONDS, counts: row.latencyCounts });
    for (const [label, column] of CLASSES) {
      if (row[column] > 0) entry.counts.push({ startMs, endMs, attributes: { 'slipway.http.status_class': label }, value: row[column] });
    }
  }
  return [...byRelease.values()].map(({ resource, durations, counts }) => ({
    resource,
    scope: EDGE_SCOPE,
    metrics: [
      { kind: 'histogram', name: 'http.server.request.duration', unit: 's', description: 'Time from the edge forwarding a request to the upstream answering it.', points: durations },
      { kind: 'counter', name: 'slipway.http.server.request.count', unit: '{request}', description: 'Requests the edge answered, by status class.', points: counts },
    ],
  }));
}
