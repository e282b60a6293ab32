import { z } from 'zod';
import { isoDateSchema } from './common';
import { trafficQuerySchema } from './traffic';

/**
 * What the observability page reads beside app traffic (`./traffic`): deploy markers and release
 * verdicts, replica resources, logs, model traffic, top paths, and the organization overview.
 * Time series are columnar (one shared `time` axis in Unix seconds, one value per slot), as
 * uPlot takes them; every range query takes `from`, `to` (default now) and `points`.
 */

export const rangeQuerySchema = trafficQuerySchema;
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

const nullableNumbers = z.array(z.number().nullable());
const seriesAxis = {
  from: isoDateSchema,
  to: isoDateSchema,
  stepSeconds: z.number().int(),
  /** Start of each slot, Unix seconds (UTC). */
  time: z.array(z.number().int()),
};

// ── Release verdicts ────────────────────────────────────────────────────────────────────────

export const VERDICT_STATUSES = ['pending', 'healthy', 'faulty', 'insufficient-data'] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

/** One measure of a release next to the release it replaced, over comparable windows. */
export const comparedMeasureSchema = z.object({
  /** `rate5xx`, `rate4xx`, `p95Ms`, `cpuPercent`, `memoryBytes`, `modelCostPerRequestUsd`. */
  measure: z.string(),
  previous: z.number().nullable(),
  current: z.number().nullable(),
  /** True when this measure alone makes the verdict faulty. */
  regressed: z.boolean(),
});

export const releaseVerdictSchema = z.object({
  releaseId: z.string(),
  releaseNumber: z.number().int(),
  previousReleaseId: z.string().nullable(),
  previousReleaseNumber: z.number().int().nullable(),
  status: z.enum(VERDICT_STATUSES),
  /** One sentence a person reads on the marker, e.g. "v12 raised the 5xx rate from 0.1 % to 4 % within 3 minutes of its deploy". */
  summary: z.string(),
  measures: z.array(comparedMeasureSchema),
  /** When the verdict was last computed. */
  evaluatedAt: isoDateSchema.nullable(),
  /** Set when this verdict rolled the environment back automatically. */
  autoRolledBackAt: isoDateSchema.nullable(),
});
export type ReleaseVerdictDto = z.infer<typeof releaseVerdictSchema>;

// ── Markers ─────────────────────────────────────────────────────────────────────────────────

export const MARKER_KINDS = ['deploy', 'rollback', 'auto-rollback', 'failed-deploy', 'restart', 'oom-kill'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

/** Something that happened at one instant, drawn as a vertical line across every chart. */
export const markerSchema = z.object({
  at: isoDateSchema,
  kind: z.enum(MARKER_KINDS),
  releaseId: z.string(),
  releaseNumber: z.number().int(),
  commitSha: z.string(),
  authorName: z.string(),
  message: z.string(),
  /** Deploy markers: the deployment; replica markers: null. */
  deploymentId: z.string().nullable(),
  /** Replica markers: which replica (its index in the release), else null. */
  replicaIndex: z.number().int().nullable(),
  /** Why: the failure reason, the rollback's reason, the exit code… */
  reason: z.string().nullable(),
  /** Deploy and rollback markers: the verdict on the release they put live. */
  verdict: releaseVerdictSchema.nullable(),
});
export type MarkerDto = z.infer<typeof markerSchema>;

export const markersSchema = z.object({ from: isoDateSchema, to: isoDateSchema, markers: z.array(markerSchema) });
export type MarkersDto = z.infer<typeof markersSchema>;

// ── Resources ───────────────────────────────────────────────────────────────────────────────

export const replicaResourcesSchema = z.object({
  /** The container name (stable per replica). */
  replica: z.string(),
  releaseId: z.string(),
  releaseNumber: z.number().int().nullable(),
  index: z.number().int(),
  /** Percent of one CPU (100 = one full core), per slot. */
  cpuPercent: nullableNumbers,
  memoryBytes: nullableNumbers,
  /** Limits the replica runs with (from the environment's resources). */
  cpuLimitPercent: z.number(),
  memoryLimitBytes: z.number(),
});
export const environmentResourcesSchema = z.object({ ...seriesAxis, replicas: z.array(replicaResourcesSchema) });
export type EnvironmentResourcesDto = z.infer<typeof environmentResourcesSchema>;

// ── Logs ────────────────────────────────────────────────────────────────────────────────────

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOGS_MAX_LIMIT = 1_000;
/** A line's `cursor`: its storage order, a positive integer in decimal. */
const logCursorSchema = z.string().regex(/^[1-9]\d{0,18}$/, 'Pass a `cursor` or `nextCursor` value from a previous answer (a positive integer), unchanged.');

export const logsQuerySchema = z.object({
  from: trafficQuerySchema.shape.from,
  to: trafficQuerySchema.shape.to,
  /** Text search (case-insensitive substring). */
  q: z.string().max(200, 'Search for at most 200 characters.').optional(),
  /** This level and above. */
  level: z.enum(LOG_LEVELS).optional(),
  /** A release id. */
  release: z.string().max(64).optional(),
  /** Newest first; pass the previous page's `nextCursor` to read older lines. */
  cursor: logCursorSchema.optional(),
  /** Live tail: only lines after this cursor (a line's `cursor`), oldest first. */
  after: logCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LOGS_MAX_LIMIT).default(200),
});
export type LogsQuery = z.infer<typeof logsQuerySchema>;

export const logLineSchema = z.object({
  /** Opaque, ordered: pass it as `after` to tail from this line. */
  cursor: z.string(),
  at: isoDateSchema,
  stream: z.enum(['stdout', 'stderr']),
  level: z.enum(LOG_LEVELS),
  releaseId: z.string(),
  releaseNumber: z.number().int().nullable(),
  replica: z.string(),
  /** Secrets redacted as in build logs. */
  message: z.string(),
});
export type LogLineDto = z.infer<typeof logLineSchema>;

export const logsPageSchema = z.object({
  /** Newest first; with `after`, oldest first. */
  lines: z.array(logLineSchema),
  /**
   * Paging back: pass it as `cursor` for the older lines; null once the page was not full.
   * Tailing (`after`): pass it as the next `after` (the last line's cursor, or `after` itself when nothing is new).
   */
  nextCursor: z.string().nullable(),
});
export type LogsPageDto = z.infer<typeof logsPageSchema>;

// ── Model traffic ───────────────────────────────────────────────────────────────────────────

export const modelTrafficQuerySchema = rangeQuerySchema.extend({
  groupBy: z.enum(['alias', 'feature', 'release']).default('alias'),
});
export type ModelTrafficQuery = z.infer<typeof modelTrafficQuerySchema>;

export const modelSeriesSchema = z.object({
  /** The model alias, feature or release id (empty string: none given). */
  key: z.string(),
  calls: z.array(z.number().int()),
  errors: z.array(z.number().int()),
  inputTokens: z.array(z.number().int()),
  outputTokens: z.array(z.number().int()),
  cachedTokens: z.array(z.number().int()),
  costUsd: z.array(z.number()),
  /** Mean time to first token of streamed calls in the slot; null when none. */
  ttftMs: nullableNumbers,
  /** Output tokens per second of generation; null when no call in the slot. */
  tokensPerSecond: nullableNumbers,
  retries: z.array(z.number().int()),
  fallbacks: z.array(z.number().int()),
});
export const environmentModelTrafficSchema = z.object({
  ...seriesAxis,
  groupBy: z.enum(['alias', 'feature', 'release']),
  series: z.array(modelSeriesSchema),
  /** Over the range: errors by category (`rate_limit`, `timeout`, `upstream_5xx`…). */
  errorsByCategory: z.array(z.object({ category: z.string(), count: z.number().int() })),
  totals: z.object({ calls: z.number().int(), costUsd: z.number(), inputTokens: z.number().int(), outputTokens: z.number().int(), cachedTokens: z.number().int() }),
});
export type EnvironmentModelTrafficDto = z.infer<typeof environmentModelTrafficSchema>;

// ── Top paths ───────────────────────────────────────────────────────────────────────────────

export const topPathsQuerySchema = z.object({
  from: trafficQuerySchema.shape.from,
  to: trafficQuerySchema.shape.to,
  release: z.string().max(64).optional(),
  sort: z.enum(['requests', 'errors', 'latency']).default('requests'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type TopPathsQuery = z.infer<typeof topPathsQuerySchema>;

export const topPathSchema = z.object({
  /** The path as the edge normalised it (ids and hashes folded to `:id`); `(other)` past the per-release cap. */
  path: z.string(),
  requests: z.number().int(),
  status4xx: z.number().int(),
  status5xx: z.number().int(),
  p95Ms: z.number().nullable(),
});
export const topPathsSchema = z.object({ from: isoDateSchema, to: isoDateSchema, paths: z.array(topPathSchema) });
export type TopPathsDto = z.infer<typeof topPathsSchema>;

// ── Organization overview ───────────────────────────────────────────────────────────────────

export const environmentHealthSchema = z.object({
  project: z.object({ slug: z.string(), name: z.string() }),
  environment: z.string(),
  liveReleaseNumber: z.number().int().nullable(),
  lastDeployAt: isoDateSchema.nullable(),
  requests: z.number().int(),
  rate5xx: z.number().nullable(),
  p95Ms: z.number().nullable(),
  modelCostUsd: z.number(),
  /** The verdict on the live release, if any. */
  verdict: z.enum(VERDICT_STATUSES).nullable(),
});
export const organizationHealthSchema = z.object({ from: isoDateSchema, to: isoDateSchema, environments: z.array(environmentHealthSchema) });
export type OrganizationHealthDto = z.infer<typeof organizationHealthSchema>;
