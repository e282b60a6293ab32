import { PROMETHEUS_CONTENT_TYPE, Registry, registerCollected, registerCollectedHistogram } from '@slipway/metrics';
import type { ListingProxyDeps } from './marketplace/listing-proxy';
import { LATENCY_BUCKETS_MS, type EdgeMetricsCollector, type ReleaseCounters } from './metrics';

export { PROMETHEUS_CONTENT_TYPE };

const releaseLabels = (c: ReleaseCounters) => ({ release_id: c.releaseId, environment_id: c.environmentId });

/**
 * The edge's Prometheus page (/__edge/metrics), rendered by prom-client from the collector's
 * lifetime counters at scrape time: recording a request stays a few increments. Series are per
 * live release (release_id, environment_id); a release that leaves the route table and is idle
 * for a flush is forgotten by the collector, and its series leave the page with it.
 */
export function createEdgeRegistry(metrics: EdgeMetricsCollector, tableVersion: () => number, market?: Pick<ListingProxyDeps, 'stats' | 'meter'>): Registry {
  const registry = new Registry();
  registerCollected(registry, {
    name: 'slipway_edge_requests_total',
    help: 'Requests proxied to a release, by status class.',
    type: 'counter',
    read: function* () {
      for (const c of metrics.lifetime())
        for (const [cls, n] of Object.entries(c.status)) yield { labels: { ...releaseLabels(c), status_class: cls }, value: n };
    },
  });
  registerCollectedHistogram(registry, {
    name: 'slipway_edge_request_duration_ms',
    help: 'Time from request to the end of the response, in ms.',
    buckets: LATENCY_BUCKETS_MS,
    read: function* () {
      for (const c of metrics.lifetime()) yield { labels: releaseLabels(c), counts: c.latencyCounts, sum: c.latencySumMs };
    },
  });
  // The OpenTelemetry HTTP semantic convention's server duration (http.server.request.duration, in
  // seconds) from the same counts, so dashboards built on the convention work unchanged.
  registerCollectedHistogram(registry, {
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests through the edge, per release (OpenTelemetry http.server.request.duration).',
    buckets: LATENCY_BUCKETS_MS,
    scale: 1000,
    read: function* () {
      for (const c of metrics.lifetime()) yield { labels: releaseLabels(c), counts: c.latencyCounts, sum: c.latencySumMs };
    },
  });
  registerCollected(registry, {
    name: 'slipway_edge_unrouted_requests_total',
    help: 'Requests for hosts with no live release.',
    type: 'counter',
    read: () => [{ labels: {}, value: metrics.unrouted }],
  });
  registerCollected(registry, {
    name: 'slipway_edge_route_table_version',
    help: 'Version of the route table in use (-1: none).',
    type: 'gauge',
    read: () => [{ labels: {}, value: tableVersion() }],
  });
  if (market) registerMarketplace(registry, market);
  return registry;
}

/** Published APIs (listing hosts): answers by outcome and the usage events not yet in Redis. No per-consumer labels: those are in the usage events. */
function registerMarketplace(registry: Registry, { stats, meter }: Pick<ListingProxyDeps, 'stats' | 'meter'>): void {
  registerCollected(registry, {
    name: 'slipway_edge_marketplace_admitted_total',
    help: 'Calls to published APIs admitted and forwarded.',
    type: 'counter',
    read: () => [{ labels: {}, value: stats.admitted }],
  });
  registerCollected(registry, {
    name: 'slipway_edge_marketplace_refused_total',
    help: 'Calls to published APIs refused by the edge, by problem code.',
    type: 'counter',
    read: function* () {
      for (const [code, n] of stats.refused) yield { labels: { code }, value: n };
    },
  });
  registerCollected(registry, {
    name: 'slipway_edge_marketplace_usage_pending',
    help: 'Usage events waiting to be appended to the usage stream (new calls are refused with 503 at the backlog limit).',
    type: 'gauge',
    read: () => [{ labels: {}, value: meter.pending }],
  });
  registerCollected(registry, {
    name: 'slipway_edge_marketplace_usage_appended_total',
    help: 'Usage events appended to the usage stream.',
    type: 'counter',
    read: () => [{ labels: {}, value: meter.appended }],
  });
}
