import { z } from 'zod';
import { isoDateSchema } from './common';
import { WIRE_FORMATS } from './gateway';

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

export const gatewayRequestSchema = z.object({
  id: z.string(),
  /** Environment name; null for a project-wide key. */
  environment: z.string().nullable(),
  releaseId: z.string().nullable(),
  keyId: z.string(),
  api: z.enum(WIRE_FORMATS),
  /** The model or alias the client asked for. */
  modelRequested: z.string(),
  /** The model that answered; null when no provider answered. */
  modelServed: z.string().nullable(),
  provider: z.string().nullable(),
  status: z.number().int(),
  errorCategory: z.string().nullable(),
  latencyMs: z.number().int(),
  ttftMs: z.number().int().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costUsd: z.number(),
  retries: z.number().int(),
  /** Every attempt in order: `provider/model:outcome`. */
  fallbackChain: z.array(z.string()),
  streamed: z.boolean(),
  feature: z.string().nullable(),
  customer: z.string().nullable(),
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
