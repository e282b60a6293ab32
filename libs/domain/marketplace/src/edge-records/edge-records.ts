import {
  planLimitsSchema,
  planOperationSchema,
  planPricingSchema,
  type EdgeConsumerKey,
  type EdgeSubscription,
  type PlanPricing,
} from '@slipway/contracts';

/** A consumer key as the records are made from it (no secret: the hash is the record's field). */
export interface KeyRecordSource {
  id: string;
  subscriptionId: string;
  tokenHash: string;
  mode: 'LIVE' | 'TEST';
  expiresAt: Date | null;
  revokedAt: Date | null;
  subscription: { listingId: string; consumerOrganizationId: string };
}

/** A subscription with the plan version it is on. */
export interface SubscriptionRecordSource {
  id: string;
  listingId: string;
  consumerOrganizationId: string;
  planId: string;
  planVersionId: string;
  status: 'ACTIVE' | 'PAST_DUE' | 'CANCELED';
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  spendCapMicros: bigint | null;
  plan: { slug: string };
  planVersion: { pricing: unknown; limits: unknown; operations: unknown };
}

/** The key's record, or null when the edge must not know it (revoked: the field is deleted). */
export function edgeConsumerKeyOf(k: KeyRecordSource): EdgeConsumerKey | null {
  if (k.revokedAt) return null;
  return {
    keyId: k.id,
    subscriptionId: k.subscriptionId,
    listingId: k.subscription.listingId,
    consumerId: k.subscription.consumerOrganizationId,
    mode: k.mode === 'LIVE' ? 'live' : 'test',
    expiresAt: k.expiresAt?.toISOString() ?? null,
  };
}

/** Price of one weight unit that the balance gate takes: per-call and prepaid plans; 0 for the others. */
export function gateUnitPriceMicros(pricing: PlanPricing): number {
  return pricing.kind === 'per_call' || pricing.kind === 'prepaid' ? pricing.unitPriceMicros : 0;
}

/**
 * The subscription's record. `balance` gate for prepaid plans and for any subscription with a
 * spend cap (the billing part keeps `marketplaceBalanceKey` from the ledger); `none` otherwise.
 * Stored plan JSON that no longer parses fails closed: no operation is allowed and every limit is 1/s.
 */
export function edgeSubscriptionOf(s: SubscriptionRecordSource): EdgeSubscription {
  const pricing = planPricingSchema.safeParse(s.planVersion.pricing);
  const limits = planLimitsSchema.safeParse(s.planVersion.limits);
  const operations = planOperationSchema.array().nullable().safeParse(s.planVersion.operations ?? null);
  const valid = pricing.success && limits.success && operations.success;
  const balance = (pricing.success && pricing.data.kind === 'prepaid') || s.spendCapMicros !== null;
  return {
    subscriptionId: s.id,
    listingId: s.listingId,
    consumerId: s.consumerOrganizationId,
    planId: s.planId,
    planSlug: s.plan.slug,
    planVersionId: s.planVersionId,
    status: s.status === 'ACTIVE' ? 'active' : s.status === 'PAST_DUE' ? 'past_due' : 'canceled',
    periodStart: s.currentPeriodStart.toISOString(),
    periodEnd: s.currentPeriodEnd.toISOString(),
    limits: valid ? limits.data : { perSecond: 1, perMinute: null, perDay: null, perMonth: null },
    operations: valid ? operations.data : [],
    gate: balance ? 'balance' : 'none',
    unitPriceMicros: pricing.success ? gateUnitPriceMicros(pricing.data) : 0,
  };
}

/** What one reconcile pass changes in a hash: fields to write (JSON) and fields to delete. */
export interface HashDiff {
  set: Record<string, string>;
  del: string[];
}

/** Desired records against the stored hash: write missing or different fields, delete unknown ones. */
export function diffHash(desired: Map<string, string>, stored: Record<string, string>): HashDiff {
  const set: Record<string, string> = {};
  for (const [field, value] of desired) if (stored[field] !== value) set[field] = value;
  const del = Object.keys(stored).filter((field) => !desired.has(field));
  return { set, del };
}
