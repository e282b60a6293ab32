import { EDGE_OTHER_PATH, EDGE_PATHS_PER_RELEASE, edgeMetricsSchema } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { bucketIndex, EdgeMetricsCollector, LATENCY_BUCKETS_MS, statusClass } from './metrics';
import { startMetricsFlusher } from './metrics-flusher';
import { createEdgeRegistry } from './prometheus';
import { RouteTable } from './route-table';

describe('latency histogram', () => {
  it('puts a duration in the first bucket whose bound it does not exceed', () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(5)).toBe(0);
    expect(bucketIndex(5.01)).toBe(1);
    expect(bucketIndex(99)).toBe(4);
    expect(bucketIndex(5000)).toBe(9);
    expect(bucketIndex(5000.1)).toBe(LATENCY_BUCKETS_MS.length); // +Inf
  });

  it('classes statuses; 1xx counts as a request only', () => {
    expect([200, 304, 404, 503, 101].map(statusClass)).toEqual(['2xx', '3xx', '4xx', '5xx', undefined]);
  });
});

describe('EdgeMetricsCollector', () => {
  it('drains one schema-valid entry per release and starts a new window', () => {
    const m = new EdgeMetricsCollector();
    m.record('rel_a', 'env_1', 200, 3);
    m.record('rel_a', 'env_1', 502, 30);
    m.record('rel_b', 'env_2', 200, 7000);
    const out = m.drain(new Date('2026-01-01T00:00:10Z'));
    expect(out).toHaveLength(2);
    for (const e of out) expect(edgeMetricsSchema.parse(e)).toEqual(e);
    const a = out.find((e) => e.releaseId === 'rel_a')!;
    expect(a).toMatchObject({ requests: 2, status: { '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 1 }, to: '2026-01-01T00:00:10.000Z' });
    expect(a.latencyCounts).toHaveLength(a.latencyBucketsMs.length + 1);
    expect(a.latencyCounts[0]).toBe(1);
    expect(a.latencyCounts[3]).toBe(1);
    expect(out.find((e) => e.releaseId === 'rel_b')!.latencyCounts.at(-1)).toBe(1);
    expect(m.drain()).toEqual([]);
  });

  it('renders cumulative Prometheus buckets from lifetime counters', async () => {
    const m = new EdgeMetricsCollector();
    m.record('rel_a', 'env_1', 200, 3);
    m.record('rel_a', 'env_1', 200, 30);
    m.drain();
    const text = await createEdgeRegistry(m, () => 7).metrics();
    expect(text).toContain('slipway_edge_request_duration_ms_bucket{release_id="rel_a",environment_id="env_1",le="5"} 1');
    expect(text).toContain('slipway_edge_request_duration_ms_bucket{release_id="rel_a",environment_id="env_1",le="50"} 2');
    expect(text).toContain('slipway_edge_request_duration_ms_bucket{release_id="rel_a",environment_id="env_1",le="+Inf"} 2');
    expect(text).toContain('slipway_edge_request_duration_ms_count{release_id="rel_a",environment_id="env_1"} 2');
    expect(text).toContain('slipway_edge_route_table_version 7');
    expect(text).toContain('slipway_edge_requests_total{release_id="rel_a",environment_id="env_1",status_class="2xx"} 2');
    // The OpenTelemetry-named histogram: the same counts, in seconds.
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).toContain('http_server_request_duration_seconds_bucket{release_id="rel_a",environment_id="env_1",le="0.005"} 1');
    expect(text).toContain('http_server_request_duration_seconds_bucket{release_id="rel_a",environment_id="env_1",le="+Inf"} 2');
    expect(text).toContain('http_server_request_duration_seconds_sum{release_id="rel_a",environment_id="env_1"} 0.033');
  });

  it('drops the series of a release that left the route table once it is idle', async () => {
    const m = new EdgeMetricsCollector();
    m.record('rel_old', 'env_1', 200, 3);
    m.record('rel_new', 'env_1', 200, 3);
    const registry = createEdgeRegistry(m, () => 1);
    m.drain();
    m.forgetExcept(new Set(['rel_new']));
    const text = await registry.metrics();
    expect(text).toContain('release_id="rel_new"');
    expect(text).not.toContain('rel_old');
  });

  it('escapes label values', async () => {
    const m = new EdgeMetricsCollector();
    m.record('rel"x', 'env_1', 200, 3);
    expect(await createEdgeRegistry(m, () => 1).metrics()).toContain(String.raw`release_id="rel\"x"`);
  });
});

describe('per-path counters', () => {
  it('counts normalised paths per release; they add up to the release', () => {
    const m = new EdgeMetricsCollector();
    m.record('rel_a', 'env_1', 200, 3, '/users/1?tab=x');
    m.record('rel_a', 'env_1', 404, 30, '/users/2');
    m.record('rel_a', 'env_1', 503, 700, '/checkout');
    const [a] = m.drain();
    expect(edgeMetricsSchema.parse(a)).toEqual(a);
    const byPath = Object.fromEntries(a!.paths!.map((p) => [p.path, p]));
    expect(byPath['/users/:id']).toMatchObject({ requests: 2, status4xx: 1, status5xx: 0 });
    expect(byPath['/checkout']).toMatchObject({ requests: 1, status4xx: 0, status5xx: 1 });
    expect(byPath['/checkout']!.latencyCounts[7]).toBe(1);
    expect(a!.paths!.reduce((n, p) => n + p.requests, 0)).toBe(a!.requests);
  });

  it('keeps at most EDGE_PATHS_PER_RELEASE paths per window, the rest under (other)', () => {
    const m = new EdgeMetricsCollector();
    for (let i = 0; i < EDGE_PATHS_PER_RELEASE + 50; i++) m.record('rel_a', 'env_1', 200, 1, `/page-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}x`);
    m.record('rel_a', 'env_1', 200, 1, '/page-a0x'); // a path already counted keeps its own row
    const [a] = m.drain();
    expect(a!.paths).toHaveLength(EDGE_PATHS_PER_RELEASE + 1);
    expect(a!.paths!.find((p) => p.path === EDGE_OTHER_PATH)!.requests).toBe(50);
    expect(a!.paths!.find((p) => p.path === '/page-a0x')!.requests).toBe(2);
    expect(edgeMetricsSchema.parse(a)).toEqual(a);
    // a new window starts with no paths
    m.record('rel_a', 'env_1', 200, 1, '/fresh');
    expect(m.drain()[0]!.paths!.map((p) => p.path)).toEqual(['/fresh']);
  });

  it('can be switched off', () => {
    const m = new EdgeMetricsCollector({ paths: false });
    m.record('rel_a', 'env_1', 200, 1, '/x');
    expect(m.drain()[0]!.paths).toBeUndefined();
  });
});

describe('metrics flusher', () => {
  it('drops entries when the sink fails, without throwing', async () => {
    const m = new EdgeMetricsCollector();
    const flusher = startMetricsFlusher({ metrics: m, routes: new RouteTable(), sink: { append: () => Promise.reject(new Error('redis down')) }, intervalMs: 60_000 });
    m.record('rel_a', 'env_1', 200, 1);
    await flusher.flush();
    expect(flusher.dropped).toBe(1);
    flusher.stop();
  });

  it('sends one entry per active release', async () => {
    const m = new EdgeMetricsCollector();
    const sent: unknown[] = [];
    const flusher = startMetricsFlusher({ metrics: m, routes: new RouteTable(), sink: { append: async (e) => sent.push(...e) }, intervalMs: 60_000 });
    m.record('rel_a', 'env_1', 200, 1);
    m.record('rel_b', 'env_1', 200, 1);
    await flusher.flush();
    await flusher.flush(); // nothing new: nothing sent
    expect(sent).toHaveLength(2);
    flusher.stop();
  });
});
