import { z } from 'zod';
import { edgeListingSchema } from './marketplace-edge';

/**
 * The edge's route table: which upstreams serve which host. The worker writes the whole table
 * to Redis (`EDGE_ROUTES_KEY`, JSON) after every change and publishes its version on
 * `EDGE_ROUTES_CHANNEL`; an edge loads the full table at start and on every (re)connect, and
 * keeps serving its last table while Redis is unreachable.
 */
export const EDGE_ROUTES_KEY = 'slipway:edge:routes';
export const EDGE_ROUTES_CHANNEL = 'slipway:edge:routes:changed';
/** Redis stream the edge appends per-release traffic counters to (for observability). */
export const EDGE_METRICS_STREAM = 'slipway:edge:metrics';
/** The consumer group of the observability collector (the stream's only reader: it trims what this group acknowledged). */
export const EDGE_METRICS_GROUP = 'traffic-collectors';

/**
 * Upper bounds (ms) of the edge's latency histogram buckets; a last, implicit bucket counts
 * everything above (+Inf). One fixed set for the edge, the stored samples and rollups (arrays of
 * LATENCY_BUCKETS_MS.length + 1 counts) and the queries: buckets only merge when their bounds
 * are the same. Never change them in place: stored arrays would be read against the wrong bounds.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export const edgeUpstreamSchema = z.object({
  /** Always a loopback address: containers publish on 127.0.0.1 only. */
  host: z.literal('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  containerId: z.string(),
});
export type EdgeUpstream = z.infer<typeof edgeUpstreamSchema>;

export const edgeRouteSchema = z.object({
  /** Lower-case host names without port: `web.localhost`, `web-staging.localhost`, custom domains. */
  hosts: z.array(z.string().min(1)).min(1),
  organizationId: z.string(),
  projectId: z.string(),
  environmentId: z.string(),
  releaseId: z.string(),
  upstreams: z.array(edgeUpstreamSchema).min(1),
  /** Set on the route of a published API's host (`<slug>.<API_DOMAIN>`): the edge checks keys and limits and meters. */
  listing: edgeListingSchema.optional(),
});
export type EdgeRoute = z.infer<typeof edgeRouteSchema>;

export const edgeRouteTableSchema = z.object({
  /**
   * Monotonic, even across a Redis wipe (take it from a Postgres sequence or the clock): an
   * edge, including one restarted from its file snapshot, ignores versions at or below its own.
   */
  version: z.number().int().nonnegative(),
  generatedAt: z.string(),
  routes: z.array(edgeRouteSchema),
});
export type EdgeRouteTable = z.infer<typeof edgeRouteTableSchema>;

/** Distinct paths an edge counts per release and window; the rest are summed under EDGE_OTHER_PATH. */
export const EDGE_PATHS_PER_RELEASE = 100;
export const EDGE_OTHER_PATH = '(other)';

/** The counters of one normalised path (ids folded to `:id`, no query string) of one release in one window. */
export const edgePathMetricsSchema = z.object({
  path: z.string().min(1).max(512),
  requests: z.number().int(),
  status4xx: z.number().int(),
  status5xx: z.number().int(),
  /** Same buckets as the release's `latencyCounts`. */
  latencyCounts: z.array(z.number().int()),
});
export type EdgePathMetrics = z.infer<typeof edgePathMetricsSchema>;

/** One flush of an edge's counters for one release: a stream entry whose single field `data` holds this JSON. */
export const edgeMetricsSchema = z.object({
  releaseId: z.string(),
  environmentId: z.string(),
  from: z.string(),
  to: z.string(),
  requests: z.number().int(),
  status: z.object({ '2xx': z.number().int(), '3xx': z.number().int(), '4xx': z.number().int(), '5xx': z.number().int() }),
  /** Upper bounds in ms of the latency histogram buckets, and the count in each; `latencyCounts` has one more entry, the +Inf bucket. */
  latencyBucketsMs: z.array(z.number()),
  latencyCounts: z.array(z.number().int()),
  /**
   * Per normalised path (at most EDGE_PATHS_PER_RELEASE, then EDGE_OTHER_PATH); their requests
   * add up to `requests`. Missing from entries of edges older than the top-paths panel.
   */
  paths: z.array(edgePathMetricsSchema).max(EDGE_PATHS_PER_RELEASE + 1).optional(),
});
export type EdgeMetrics = z.infer<typeof edgeMetricsSchema>;
