import { z } from 'zod';
import { isoDateSchema } from './common';
import { usageEventSchema } from './gateway';

/**
 * What the console reads about gateway traffic: recent requests (one row per model request,
 * as the usage pipeline wrote it) and the current period's totals from the per-minute rollups.
 * Money is USD as a number (the database keeps micro-USD).
 */

export const gatewayRequestsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The id of the last row of the previous page: the page continues with older rows. */
  before: z.string().min(1).max(128).optional(),
  /** An environment name: only that environment's requests. */
  environment: z.string().min(1).max(63).optional(),
});
export type GatewayRequestsQuery = z.infer<typeof gatewayRequestsQuerySchema>;

/** One recorded request as the console lists it: the usage event, with names and USD for display. */
export const gatewayRequestSchema = usageEventSchema.omit({ at: true, organizationId: true, projectId: true, environmentId: true, costMicros: true }).extend({
  /** Environment name; null for a project-wide key. */
  environment: z.string().nullable(),
  costUsd: z.number(),
  /** True when the tokens and cost are the gateway's estimate: the provider's own usage never arrived (docs/gateway.md, "Accounting rules"). */
  usageEstimated: z.boolean(),
  createdAt: isoDateSchema,
});
export type GatewayRequestDto = z.infer<typeof gatewayRequestSchema>;

export const USAGE_PERIODS = ['day', 'month'] as const;
export type UsagePeriod = (typeof USAGE_PERIODS)[number];

export const gatewayUsageQuerySchema = z.object({
  period: z.enum(USAGE_PERIODS).default('day'),
});
export type GatewayUsageQuery = z.infer<typeof gatewayUsageQuerySchema>;

export const usageTotalsSchema = z.object({
  requests: z.number().int(),
  /** Requests answered with a status of 400 or more. */
  errors: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  /** All four token kinds added up. */
  tokens: z.number().int(),
  costUsd: z.number(),
});
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

/** Totals of the current UTC day or month, overall and broken down (each list: the 100 largest by cost). */
export const gatewayUsageSchema = z.object({
  period: z.enum(USAGE_PERIODS),
  /** Start of the period (UTC midnight, or the first of the month). */
  from: isoDateSchema,
  /** When the totals were read. */
  to: isoDateSchema,
  totals: usageTotalsSchema,
  byKey: z.array(usageTotalsSchema.extend({ keyId: z.string(), keyName: z.string().nullable(), keyPrefix: z.string().nullable() })),
  /** By the model or alias the client asked for (budgets are per alias). */
  byModel: z.array(usageTotalsSchema.extend({ model: z.string() })),
  byFeature: z.array(usageTotalsSchema.extend({ feature: z.string().nullable() })),
  byCustomer: z.array(usageTotalsSchema.extend({ customer: z.string().nullable() })),
});
export type GatewayUsageDto = z.infer<typeof gatewayUsageSchema>;
