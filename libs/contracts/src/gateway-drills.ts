import { z } from 'zod';
import { isoDateSchema } from './common';

/**
 * Failover drills (issue 4, item 9): faults injected into one route of an environment for a
 * few seconds while a bounded synthetic load asks its alias; the report says what a user of
 * the gateway would have seen. Reports are kept, newest first, for comparison.
 */

export const DRILL_FAULT_KINDS = ['status', 'timeout'] as const;
export const DRILL_FAULT_STATUSES = [429, 500, 502, 503, 529] as const;
export const DRILL_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];

/** The load keeps running this long after the fault ends, so recovery (half-open, closed) shows. */
export const DRILL_TAIL_SECONDS = 3;
/** Most requests one drill sends, whatever its duration and concurrency. */
export const DRILL_MAX_REQUESTS = 2_000;

const statusSchema = z.literal(DRILL_FAULT_STATUSES, { error: `Use one of the statuses ${DRILL_FAULT_STATUSES.join(', ')}.` });

export const drillFaultSchema = z.strictObject({
  /** `status`: the route answers an HTTP error at once; `timeout`: it hangs, then times out. */
  kind: z.enum(DRILL_FAULT_KINDS, { error: 'Use "status" or "timeout".' }),
  /** For `status` (default 503). */
  status: statusSchema.optional(),
  /** Sent as `retry-after` with the injected error. */
  retryAfterSeconds: z.number().int('Use whole seconds.').min(0).max(300).optional(),
});
export type DrillFault = z.infer<typeof drillFaultSchema>;

export const startGatewayDrillInputSchema = z.strictObject({
  /** `provider/model` of one route of the environment's effective routing; default the first route of the first alias. */
  route: z
    .string()
    .regex(/^[^/\s]+\/\S+$/, 'Name the route as provider/model, e.g. mock/mock-smart.')
    .max(300)
    .optional(),
  fault: drillFaultSchema.default({ kind: 'status' }),
  durationSeconds: z.number().int('Use whole seconds.').min(5, 'Run a drill for 5 to 60 seconds.').max(60, 'Run a drill for 5 to 60 seconds.').default(10),
  /** Requests in flight at once (closed loop). */
  concurrency: z.number().int().min(1, 'Use a concurrency from 1 to 8.').max(8, 'Use a concurrency from 1 to 8.').default(4),
  /** The alias the load asks for; default the alias that contains the route. */
  alias: z.string().min(1).max(63).optional(),
});
export type StartGatewayDrillInput = z.input<typeof startGatewayDrillInputSchema>;

export const drillPlanSchema = z.object({
  route: z.string(),
  alias: z.string(),
  fault: drillFaultSchema,
  durationSeconds: z.number().int(),
  concurrency: z.number().int(),
});
export type DrillPlan = z.infer<typeof drillPlanSchema>;

export const drillReportSchema = z.object({
  requests: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  /** succeeded ÷ requests, 0..1 (0 when no request was sent). */
  successRate: z.number(),
  /** From the fault's start to the first answer by another route for a request that met the faulty route; null if none. */
  failoverMs: z.number().int().nullable(),
  breakerTransitions: z.array(
    z.object({
      /** Since the fault started. */
      atMs: z.number().int(),
      key: z.string(),
      from: z.string(),
      to: z.string(),
      reason: z.string(),
    }),
  ),
  /** Calls to routes (retries and fallbacks included; a route skipped by an open breaker is not a call). */
  upstreamAttempts: z.number().int(),
  /** upstreamAttempts ÷ requests. */
  retryAmplification: z.number(),
  latencyMs: z.object({ p50: z.number().int(), p95: z.number().int(), max: z.number().int() }),
  /** Route key (`provider/model`) → answers it gave. */
  servedBy: z.record(z.string(), z.number().int()),
  /** Failed requests by category (the gateway's error category, else `http_<status>` or `network`). */
  errors: z.record(z.string(), z.number().int()),
  /** Per second since the fault started; `fallbacks` = answers from a later route than the request's first. */
  timeline: z.array(z.object({ second: z.number().int(), requests: z.number().int(), succeeded: z.number().int(), fallbacks: z.number().int() })),
});
export type DrillReport = z.infer<typeof drillReportSchema>;

export const gatewayDrillSchema = z.object({
  id: z.string(),
  /** Environment name. */
  environment: z.string(),
  status: z.enum(DRILL_STATUSES),
  plan: drillPlanSchema,
  /** Null while running, and when the drill failed before it had anything to report. */
  report: drillReportSchema.nullable(),
  /** Why a FAILED drill failed (e.g. "api stopped"); null otherwise. */
  error: z.string().nullable(),
  createdAt: isoDateSchema,
  finishedAt: isoDateSchema.nullable(),
});
export type GatewayDrillDto = z.infer<typeof gatewayDrillSchema>;

export const gatewayDrillsQuerySchema = z.object({
  /** An environment name: only that environment's drills. */
  environment: z.string().min(1).max(63).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type GatewayDrillsQuery = z.infer<typeof gatewayDrillsQuerySchema>;
