import { z } from 'zod';
import { isoDateSchema } from './common';

/**
 * Invoices of published APIs (docs/marketplace.md, "Metering, rating and invoices"). Every
 * amount is integer micro-USD (1 USD = 1,000,000) as a JSON number: exact up to 2^53 µUSD
 * (9 billion USD), so no float ever carries money. Aggregates come only from stored usage
 * events (the edge's ids, stored once), never from metrics.
 */

export const INVOICE_STATUSES = ['DRAFT', 'FINALIZED', 'PAID', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** What a line charges for (an invoice line's `kind`). */
export const INVOICE_LINE_KINDS = [
  'base_fee',
  'included',
  'overage',
  'per_call',
  'tokens_input',
  'tokens_output',
  'tokens_cached',
  'gateway_cost',
  'credits_applied',
  'proration',
] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

const micros = z.number().int();
const instantSchema = z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date-time with a time zone, e.g. 2026-12-07T12:00:00Z.' });
/** Opaque paging position: pass `nextCursor` from the previous page unchanged. */
const cursorSchema = z.string().min(1).max(200);

export const invoiceSchema = z.object({
  id: z.string(),
  /** `<publisher slug>-000042` once finalized; null for a draft. */
  number: z.string().nullable(),
  status: z.enum(INVOICE_STATUSES),
  subscriptionId: z.string(),
  listingId: z.string(),
  listingName: z.string(),
  listingSlug: z.string(),
  consumerOrganizationId: z.string(),
  publisherOrganizationId: z.string(),
  periodStart: isoDateSchema,
  periodEnd: isoDateSchema,
  currency: z.literal('USD'),
  subtotalMicros: micros,
  taxRateBps: z.number().int(),
  taxMicros: micros,
  totalMicros: micros,
  /** Sum of the credit notes issued against it. */
  creditedMicros: micros,
  /** When a draft becomes final: `periodEnd` + MARKETPLACE_INVOICE_GRACE_MINUTES. */
  finalizesAt: isoDateSchema,
  finalizedAt: isoDateSchema.nullable(),
  paidAt: isoDateSchema.nullable(),
  updatedAt: isoDateSchema,
});
export type InvoiceDto = z.infer<typeof invoiceSchema>;

export const invoiceLineSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  kind: z.enum(INVOICE_LINE_KINDS),
  description: z.string(),
  /** Units (weight units, tokens, or 1 for a fee). */
  quantity: z.number().int(),
  unitPriceMicros: micros,
  amountMicros: micros,
  /** The usage window behind the line (drill down with `invoiceLineUsage`); null for fees. */
  usageFrom: isoDateSchema.nullable(),
  usageTo: isoDateSchema.nullable(),
  planVersionId: z.string().nullable(),
});
export type InvoiceLineDto = z.infer<typeof invoiceLineSchema>;

export const creditNoteSchema = z.object({
  id: z.string(),
  invoiceId: z.string(),
  amountMicros: micros,
  reason: z.string(),
  createdAt: isoDateSchema,
});
export type CreditNoteDto = z.infer<typeof creditNoteSchema>;

export const invoiceDetailSchema = invoiceSchema.extend({
  lines: z.array(invoiceLineSchema),
  creditNotes: z.array(creditNoteSchema),
  /** Usage that arrived after finalization: kept, shown, never billed. */
  lateEvents: z.number().int(),
});
export type InvoiceDetailDto = z.infer<typeof invoiceDetailSchema>;

export const invoicesQuerySchema = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  subscriptionId: z.string().max(64).optional(),
  /** Most invoices per page. */
  limit: z.coerce.number().int().min(1, 'Ask for at least 1 invoice.').max(100, 'Ask for at most 100 invoices.').default(50),
  cursor: cursorSchema.optional(),
});
export type InvoicesQuery = z.infer<typeof invoicesQuerySchema>;

export const invoicesPageSchema = z.object({
  invoices: z.array(invoiceSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type InvoicesPageDto = z.infer<typeof invoicesPageSchema>;

/** One UTC day of a usage window. */
export const usageDaySchema = z.object({
  /** `2026-12-07` (UTC). */
  day: z.string(),
  /** Live calls counted for billing. */
  calls: z.number().int(),
  /** Weight units of those calls. */
  units: z.number().int(),
  /** Calls with test keys (never billed). */
  testCalls: z.number().int(),
});
export type UsageDayDto = z.infer<typeof usageDaySchema>;

export const invoiceLineUsageSchema = z.object({
  invoiceId: z.string(),
  lineId: z.string(),
  from: isoDateSchema,
  to: isoDateSchema,
  days: z.array(usageDaySchema),
});
export type InvoiceLineUsageDto = z.infer<typeof invoiceLineUsageSchema>;

export const usageEventsQuerySchema = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  limit: z.coerce.number().int().min(1, 'Ask for at least 1 event.').max(500, 'Ask for at most 500 events.').default(100),
  cursor: cursorSchema.optional(),
});
export type UsageEventsQuery = z.infer<typeof usageEventsQuerySchema>;

export const apiUsageEventSchema = z.object({
  id: z.string(),
  time: isoDateSchema,
  keyId: z.string(),
  planVersionId: z.string(),
  mode: z.enum(['live', 'test']),
  method: z.string(),
  operation: z.string(),
  weight: z.number().int(),
  status: z.number().int(),
  durationMs: z.number(),
  /** The finalized invoice this event arrived too late for (kept, not billed); null otherwise. */
  lateForInvoiceId: z.string().nullable(),
});
export type ApiUsageEventDto = z.infer<typeof apiUsageEventSchema>;

export const usageEventsPageSchema = z.object({
  events: z.array(apiUsageEventSchema),
  /** Pass as `cursor` for the next page (oldest first); null on the last page. */
  nextCursor: z.string().nullable(),
});
export type UsageEventsPageDto = z.infer<typeof usageEventsPageSchema>;

/** The consumer's "usage now": this period's calls by day and what they cost so far. */
export const subscriptionUsageSchema = z.object({
  subscriptionId: z.string(),
  periodStart: isoDateSchema,
  periodEnd: isoDateSchema,
  days: z.array(usageDaySchema),
  /** The draft invoice's total (tax included), recomputed from events on this read. */
  chargesMicros: micros,
  spendCapMicros: micros.nullable(),
  /** Prepaid plans: the credit balance left after this period's rated usage; null otherwise. */
  creditBalanceMicros: micros.nullable(),
  invoiceId: z.string(),
});
export type SubscriptionUsageDto = z.infer<typeof subscriptionUsageSchema>;

export const createCreditNoteInputSchema = z.object({
  amountMicros: z.number().int().positive('Credit a positive amount (micro-USD).'),
  reason: z.string().trim().min(1, 'Say why the credit is given.').max(500, 'Use at most 500 characters.'),
});
export type CreateCreditNoteInput = z.infer<typeof createCreditNoteInputSchema>;

/** A publishing organization's billing settings. */
export const publisherBillingSchema = z.object({
  /** Tax rate applied to its invoices' subtotal, in basis points (2000 = 20 %). */
  taxRateBps: z.number().int(),
});
export type PublisherBillingDto = z.infer<typeof publisherBillingSchema>;

export const setPublisherBillingInputSchema = z.object({
  taxRateBps: z.number().int('Use a whole number of basis points.').min(0, 'Use 0 to 10000 basis points.').max(10_000, 'Use 0 to 10000 basis points.'),
});
export type SetPublisherBillingInput = z.infer<typeof setPublisherBillingInputSchema>;
