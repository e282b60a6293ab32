import { z } from 'zod';

/**
 * What the edge needs to enforce a published API (docs/marketplace.md). The api writes these
 * records to Redis when keys, subscriptions or plans change and announces each change on
 * MARKETPLACE_INVALIDATION_CHANNEL; the edge keeps what it read in process and drops an entry
 * the moment its invalidation arrives (revocation everywhere within one second). Usage of
 * admitted calls goes the other way, through MARKETPLACE_USAGE_STREAM, to the worker's meter.
 */

/** Consumer keys: `swk_live_…` bills, `swk_test_…` is never billed (generateSecretToken shape: body + CRC32). */
export const CONSUMER_KEY_PREFIXES = { live: 'swk_live_', test: 'swk_test_' } as const;
export type ConsumerKeyMode = keyof typeof CONSUMER_KEY_PREFIXES;

/** Hash: field = sha256Hex(key) → JSON `EdgeConsumerKey`. A missing field is an unknown (or revoked) key. */
export const MARKETPLACE_KEYS_HASH = 'slipway:mkt:keys';
/** Hash: field = subscription id → JSON `EdgeSubscription`. */
export const MARKETPLACE_SUBSCRIPTIONS_HASH = 'slipway:mkt:subs';
/** Pub/sub channel of `MarketplaceInvalidation` messages. */
export const MARKETPLACE_INVALIDATION_CHANNEL = 'slipway:mkt:invalidate';
/** Stream the edge appends admitted calls to: field `events`, a JSON array of `MarketplaceUsageEvent`. */
export const MARKETPLACE_USAGE_STREAM = 'slipway:mkt:usage';
export const MARKETPLACE_USAGE_FIELD = 'events';
/** The worker's consumer group on the usage stream. */
export const MARKETPLACE_USAGE_GROUP = 'api-meters';
/**
 * Remaining prepaid balance or spend-cap headroom of a subscription, in micro-USD (a Redis
 * integer). The edge's limit script takes the call's price from it atomically with the other
 * limits; the worker resets it from the ledger after rating (the ledger is the record of truth).
 */
export const marketplaceBalanceKey = (subscriptionId: string): string => `slipway:mkt:balance:{${subscriptionId}}`;

/** Headers the edge sets on every call it forwards to a published API (any client-sent copy is dropped). */
export const MARKETPLACE_FORWARDED_HEADERS = {
  consumer: 'slipway-consumer-id',
  subscription: 'slipway-subscription-id',
  plan: 'slipway-plan',
  keyMode: 'slipway-key-mode',
  /** The per-listing secret: an app refuses calls without it to refuse traffic that bypassed the edge. */
  secret: 'slipway-proxy-secret',
  /** The usage event's id; an app forwards it to the model gateway so per-token plans price the call's model usage. */
  callId: 'slipway-call-id',
} as const;

export const billableOperationSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*']),
  /** `/forecast`, `/v1/items/*` (one segment), `/v1/**` (any rest); matched on the path without query. */
  path: z.string().min(1).max(256).regex(/^\//, 'a path pattern starts with /'),
  /** Units of quota and metered calls one call uses. */
  weight: z.number().int().min(1).max(1_000).default(1),
});
export type BillableOperation = z.infer<typeof billableOperationSchema>;

/** On a route of the edge's table: this host serves a published API. */
export const edgeListingSchema = z.object({
  listingId: z.string(),
  slug: z.string(),
  /** The value the edge sends in `slipway-proxy-secret`. */
  secret: z.string().min(16),
  /** Metered operations; a call matching none is forwarded but not billed (docs, health). */
  operations: z.array(billableOperationSchema),
  /** Bill answers with status ≥ 500 too (default false: 5xx are not billed). */
  billServerErrors: z.boolean().default(false),
});
export type EdgeListing = z.infer<typeof edgeListingSchema>;

export const edgeConsumerKeySchema = z.object({
  keyId: z.string(),
  subscriptionId: z.string(),
  listingId: z.string(),
  /** The consumer organization's id. */
  consumerId: z.string(),
  mode: z.enum(['live', 'test']),
  /** ISO time after which the key is refused (a rerolled key's overlap end, or its own expiry). */
  expiresAt: z.string().nullable(),
});
export type EdgeConsumerKey = z.infer<typeof edgeConsumerKeySchema>;

export const edgePlanLimitsSchema = z.object({
  perSecond: z.number().int().positive().nullable(),
  perMinute: z.number().int().positive().nullable(),
  /** Quota per UTC day, in weight units. */
  perDay: z.number().int().positive().nullable(),
  /** Quota per subscription period (the month from `periodStart`), in weight units. */
  perMonth: z.number().int().positive().nullable(),
});
export type EdgePlanLimits = z.infer<typeof edgePlanLimitsSchema>;

export const edgeSubscriptionSchema = z.object({
  subscriptionId: z.string(),
  listingId: z.string(),
  consumerId: z.string(),
  planId: z.string(),
  planSlug: z.string(),
  planVersionId: z.string(),
  /** `past_due` and `canceled` answer 402 and 403. */
  status: z.enum(['active', 'past_due', 'canceled']),
  periodStart: z.string(),
  periodEnd: z.string(),
  limits: edgePlanLimitsSchema,
  /** Operations this plan allows (patterns as in the listing); null = every operation. */
  operations: z.array(billableOperationSchema.omit({ weight: true })).nullable(),
  /**
   * `none`: admit by limits only. `balance`: each live call takes `unitPriceMicros × weight`
   * from `marketplaceBalanceKey` (prepaid credits, or the spend cap's headroom) and is refused
   * with 402 when it would go below zero.
   */
  gate: z.enum(['none', 'balance']),
  /** What the balance is, so a refusal names it: 402 `balance_exhausted` (prepaid) or `spend_cap_reached` (headroom under the spend cap, until the period ends). */
  balanceKind: z.enum(['prepaid', 'spend_cap']).default('prepaid'),
  unitPriceMicros: z.number().int().nonnegative(),
});
export type EdgeSubscription = z.infer<typeof edgeSubscriptionSchema>;

export const marketplaceInvalidationSchema = z.union([
  z.object({ keyHash: z.string() }),
  z.object({ subscriptionId: z.string() }),
  z.object({ all: z.literal(true) }),
]);
export type MarketplaceInvalidation = z.infer<typeof marketplaceInvalidationSchema>;

/** One admitted, billable call, written by the edge after the answer (status known). */
export const marketplaceUsageEventSchema = z.object({
  /** uuid v7 made by the edge; the meter's primary key, so a replayed event is stored once. */
  id: z.string().uuid(),
  time: z.string(),
  listingId: z.string(),
  subscriptionId: z.string(),
  consumerId: z.string(),
  keyId: z.string(),
  planVersionId: z.string(),
  mode: z.enum(['live', 'test']),
  method: z.string(),
  /** The matched operation's pattern (not the raw path: no ids or secrets in billing data). */
  operation: z.string(),
  weight: z.number().int().positive(),
  status: z.number().int(),
  durationMs: z.number().nonnegative(),
  releaseId: z.string(),
});
export type MarketplaceUsageEvent = z.infer<typeof marketplaceUsageEventSchema>;
