import { z } from 'zod';
import { isoDateSchema } from './common';
import { rangeQuerySchema } from './observability';

/**
 * Payments, payouts, exports and revenue analytics of published APIs (docs/marketplace.md,
 * "Payments and payouts" and "Analytics"). Money is integer micro-USD as a JSON number, as in
 * ./billing; Slipway's ledger is the record of truth, a payment provider only moves money.
 */

const micros = z.number().int();
const instantSchema = z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date-time with a time zone, e.g. 2026-12-07T12:00:00Z.' });

export const PAYMENT_PROVIDERS = ['manual', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

// ── Invoices: payment ───────────────────────────────────────────────────────────────────────

/** What the publisher quotes when marking an invoice paid by hand (the bank transfer's reference). */
export const markInvoicePaidInputSchema = z.object({
  reference: z.string().trim().min(1, 'Quote the payment reference (e.g. the bank transfer id).').max(200, 'Use at most 200 characters.'),
});
export type MarkInvoicePaidInput = z.infer<typeof markInvoicePaidInputSchema>;

export const SUBSCRIPTION_STATUSES = ['ACTIVE', 'PAST_DUE', 'CANCELED'] as const;

/** An invoice's payment state, for the consumer who pays it and the publisher who is paid. */
export const invoicePaymentSchema = z.object({
  invoiceId: z.string(),
  number: z.string().nullable(),
  status: z.enum(['DRAFT', 'FINALIZED', 'PAID', 'VOID']),
  totalMicros: micros,
  /** Who collects it: `manual` (bank transfer, marked paid by the publisher) or `stripe`. */
  provider: z.enum(PAYMENT_PROVIDERS),
  /** Bank-transfer instructions (manual provider, finalized invoices). */
  instructions: z.string().nullable(),
  /** The provider's reference (PaymentIntent id) or the reference the publisher quoted when marking it paid. */
  reference: z.string().nullable(),
  /** After this the subscription is PAST_DUE (calls answer 402) until the invoice is paid; null unless finalized. */
  dueAt: isoDateSchema.nullable(),
  paidAt: isoDateSchema.nullable(),
  subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES),
});
export type InvoicePaymentDto = z.infer<typeof invoicePaymentSchema>;

// ── Payouts ─────────────────────────────────────────────────────────────────────────────────

/** A publisher's statement for one calendar month (UTC): paid invoices − credit notes − platform fee = net. */
export const payoutSchema = z.object({
  id: z.string(),
  periodStart: isoDateSchema,
  periodEnd: isoDateSchema,
  /** Invoices paid in the period. */
  invoiceCount: z.number().int(),
  /** What consumers paid in the period (invoice totals, tax included). */
  grossMicros: micros,
  /** Credit notes issued in the period against the publisher's invoices. */
  creditNotesMicros: micros,
  /** MARKETPLACE_PLATFORM_FEE_BPS of (gross − credit notes), half up; 0 when that is not positive. */
  feeMicros: micros,
  netMicros: micros,
  status: z.enum(['PENDING', 'PAID']),
  provider: z.enum(PAYMENT_PROVIDERS).nullable(),
  providerReference: z.string().nullable(),
  createdAt: isoDateSchema,
  paidAt: isoDateSchema.nullable(),
});
export type PayoutDto = z.infer<typeof payoutSchema>;

export const markPayoutPaidInputSchema = markInvoicePaidInputSchema;
export type MarkPayoutPaidInput = MarkInvoicePaidInput;

/** Where a publisher's payouts go when the operator enabled Stripe Connect. */
export const payoutAccountSchema = z.object({
  /** `stripe` when the operator configured Stripe, else `manual`. */
  provider: z.enum(PAYMENT_PROVIDERS),
  /** Whether statements can be transferred (Stripe Connect enabled by the operator). */
  transfersEnabled: z.boolean(),
  stripeConnectAccountId: z.string().nullable(),
});
export type PayoutAccountDto = z.infer<typeof payoutAccountSchema>;

export const setPayoutAccountInputSchema = z.object({
  stripeConnectAccountId: z
    .string()
    .trim()
    .regex(/^acct_[A-Za-z0-9]{1,64}$/, 'Give the Stripe Connect account id (acct_…).')
    .nullable(),
});
export type SetPayoutAccountInput = z.infer<typeof setPayoutAccountInputSchema>;

// ── Publisher analytics ─────────────────────────────────────────────────────────────────────

export const apiAnalyticsQuerySchema = rangeQuerySchema;
export type ApiAnalyticsQuery = z.infer<typeof apiAnalyticsQuerySchema>;

const nullableNumbers = z.array(z.number().nullable());
const seriesAxis = {
  from: isoDateSchema,
  to: isoDateSchema,
  stepSeconds: z.number().int(),
  /** Start of each slot, Unix seconds (UTC). */
  time: z.array(z.number().int()),
};

export const revenueByPlanSchema = z.object({ planId: z.string(), planName: z.string(), amountMicros: micros });
export const revenueByConsumerSchema = z.object({
  organizationId: z.string(),
  organizationName: z.string(),
  /** Live calls in the range (usage events). */
  calls: z.number().int(),
  amountMicros: micros,
});

/**
 * One listing over a range. Calls, errors and latency come from its usage events (billed calls
 * and, when the listing does not bill 5xx, its server errors too); calls the edge refused (401,
 * 402, 403, 429) are not usage events and are not counted here. Revenue comes from invoice lines
 * (finalized, paid and the drafts so far) of periods starting in the range.
 */
export const apiAnalyticsSchema = z.object({
  ...seriesAxis,
  series: z.object({
    calls: z.array(z.number().int()),
    testCalls: z.array(z.number().int()),
    /** Answers with status ≥ 500. */
    errors: z.array(z.number().int()),
    p50Ms: nullableNumbers,
    p95Ms: nullableNumbers,
  }),
  totals: z.object({
    calls: z.number().int(),
    testCalls: z.number().int(),
    errors: z.number().int(),
    units: z.number().int(),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
    revenueMicros: micros,
  }),
  revenueByPlan: z.array(revenueByPlanSchema),
  revenueByConsumer: z.array(revenueByConsumerSchema),
  /** Consumers with the most live calls in the range, at most 10. */
  topConsumers: z.array(revenueByConsumerSchema),
});
export type ApiAnalyticsDto = z.infer<typeof apiAnalyticsSchema>;

export const revenueQuerySchema = z.object({ from: instantSchema, to: instantSchema.optional() });
export type RevenueQuery = z.infer<typeof revenueQuerySchema>;

export const listingRevenueSchema = z.object({
  listingId: z.string(),
  slug: z.string(),
  name: z.string(),
  /** Drafts of periods in the range, so far. */
  draftMicros: micros,
  /** Finalized and paid invoices of periods in the range. */
  invoicedMicros: micros,
  paidMicros: micros,
  creditNotesMicros: micros,
  /** The platform fee on (paid − credit notes), MARKETPLACE_PLATFORM_FEE_BPS, half up. */
  feeMicros: micros,
  netMicros: micros,
});
export const organizationRevenueSchema = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  platformFeeBps: z.number().int(),
  listings: z.array(listingRevenueSchema),
  totals: listingRevenueSchema.omit({ listingId: true, slug: true, name: true }),
});
export type OrganizationRevenueDto = z.infer<typeof organizationRevenueSchema>;

/**
 * The observability page's revenue panel for one environment (every listing published from it):
 * live calls per slot and revenue per slot by plan. A line's amount is spread evenly over the
 * usage window it charges for (fees over the invoice period), so slots add up to the invoices.
 */
export const environmentApiRevenueSchema = z.object({
  ...seriesAxis,
  calls: z.array(z.number().int()),
  /** µUSD per slot (spread amounts are fractional). */
  revenueMicros: z.array(z.number()),
  plans: z.array(z.object({ planId: z.string(), planName: z.string(), revenueMicros: z.array(z.number()) })),
});
export type EnvironmentApiRevenueDto = z.infer<typeof environmentApiRevenueSchema>;

/** Exports (no JSON bodies): invoice PDF, its lines as CSV, the raw events of one line as CSV. */
export const INVOICE_CSV_COLUMNS = ['position', 'kind', 'description', 'quantity', 'unit_price_usd', 'amount_usd', 'usage_from', 'usage_to'] as const;
export const USAGE_EVENTS_CSV_COLUMNS = ['id', 'time', 'operation', 'method', 'status', 'weight', 'duration_ms', 'key_id', 'live', 'late_for_invoice_id'] as const;
