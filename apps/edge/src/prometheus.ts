import { LATENCY_BUCKETS_MS, type EdgeMetricsCollector } from './metrics';

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The collector's lifetime counters in Prometheus text format (served at /__edge/metrics). */
export function renderPrometheus(metrics: EdgeMetricsCollector, tableVersion: number): string {
  const lines = [
    '# HELP slipway_edge_requests_total Requests proxied to a release, by status class.',
    '# TYPE slipway_edge_requests_total counter',
  ];
  const all = [...metrics.lifetime()];
  for (const c of all) {
    const l = `release_id="${label(c.releaseId)}",environment_id="${label(c.environmentId)}"`;
    for (const [cls, n] of Object.entries(c.status)) lines.push(`slipway_edge_requests_total{${l},status_class="${cls}"} ${n}`);
  }
  lines.push('# HELP slipway_edge_request_duration_ms Time from request to the end of the response, in ms.', '# TYPE slipway_edge_request_duration_ms histogram');
  for (const c of all) {
    const l = `release_id="${label(c.releaseId)}",environment_id="${label(c.environmentId)}"`;
    let cumulative = 0;
    c.latencyCounts.forEach((n, i) => {
      cumulative += n;
      const le = i < LATENCY_BUCKETS_MS.length ? String(LATENCY_BUCKETS_MS[i]) : '+Inf';
      lines.push(`slipway_edge_request_duration_ms_bucket{${l},le="${le}"} ${cumulative}`);
    });
    lines.push(`slipway_edge_request_duration_ms_sum{${l}} ${Math.round(c.latencySumMs * 1000) / 1000}`);
    lines.push(`slipway_edge_request_duration_ms_count{${l}} ${c.requests}`);
  }
  lines.push(
    '# HELP slipway_edge_unrouted_requests_total Requests for hosts with no live release.',
    '# TYPE slipway_edge_unrouted_requests_total counter',
    `slipway_edge_unrouted_requests_total ${metrics.unrouted}`,
    '# HELP slipway_edge_route_table_version Version of the route table in use (-1: none).',
    '# TYPE slipway_edge_route_table_version gauge',
    `slipway_edge_route_table_version ${tableVersion}`,
  );
  return lines.join('\n') + '\n';
}
