import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';
import type { PlanChange, RatedInvoice, VersionTokens, VersionUsage } from '../rating';

/** Everything rating a period needs, read in one transaction. */
export interface InvoiceFacts {
  invoice: { id: string; subscriptionId: string; periodStart: Date; periodEnd: Date; status: string; publisherOrganizationId: string; consumerOrganizationId: string };
  subscription: { planVersionId: string; spendCapMicros: bigint | null };
  changes: PlanChange[];
  versions: { id: string; version: number; planName: string; pricing: unknown }[];
  usage: VersionUsage[];
  tokens: VersionTokens[];
  creditBalanceMicros: bigint;
  taxRateBps: number;
}

const utc = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;

// Live, on-time events of the period, per plan version (test keys and late events are never billed).
const USAGE = `
SELECT "planVersionId", count(*)::int AS calls, coalesce(sum(weight), 0)::bigint AS units, min(time) AS "from", max(time) AS "to"
FROM "ApiUsageEvent"
WHERE "subscriptionId" = $1 AND time >= ${utc('$2')} AND time < ${utc('$3')} AND live AND "lateForInvoiceId" IS NULL
GROUP BY 1`;

// Model calls the app made for those events (slipway-call-id), only the publisher's own: no
// other organization can bill a consumer by sending someone else's call id to its gateway.
const TOKENS = `
SELECT e."planVersionId", coalesce(sum(g."inputTokens" + g."cacheWriteTokens"), 0)::bigint AS input, coalesce(sum(g."outputTokens"), 0)::bigint AS output,
  coalesce(sum(g."cacheReadTokens"), 0)::bigint AS cached, coalesce(sum(g."costMicros"), 0)::bigint AS cost
FROM "ApiUsageEvent" e JOIN "GatewayRequest" g ON g."apiCallId" = e.id AND g."organizationId" = e."publisherOrganizationId"
WHERE e."subscriptionId" = $1 AND e.time >= ${utc('$2')} AND e.time < ${utc('$3')} AND e.live AND e."lateForInvoiceId" IS NULL
GROUP BY 1`;

// Drafts for every subscription's current period that has none (subscriptions are created by the API part).
const ENSURE_DRAFTS = `
INSERT INTO "ApiInvoice" (id, "subscriptionId", "listingId", "consumerOrganizationId", "publisherOrganizationId", "periodStart", "periodEnd", "updatedAt")
SELECT gen_random_uuid()::text, s.id, s."listingId", s."consumerOrganizationId", s."publisherOrganizationId", s."currentPeriodStart", s."currentPeriodEnd", now()
FROM "ApiSubscription" s
WHERE s.status <> 'CANCELED' AND ($1::text IS NULL OR s.id = $1) AND NOT EXISTS (SELECT 1 FROM "ApiInvoice" i WHERE i."subscriptionId" = s.id AND i."periodStart" = s."currentPeriodStart")
ON CONFLICT ("subscriptionId", "periodStart") DO NOTHING`;

const CREDIT_KINDS = ['CREDIT_PURCHASE', 'CREDIT_GRANT', 'CREDIT_USAGE'] as const;

/**
 * The billing job's reads and writes of invoices across all organizations (it runs for the
 * installation, not for a caller; the api's tenant-scoped reads are in InvoicesRepository).
 */
@Injectable()
export class InvoiceStoreRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { timeout: 60_000 });
  }

  /** Creates the missing draft of every live subscription's current period (or of one subscription). Returns how many. */
  ensureDrafts(subscriptionId: string | null = null): Promise<number> {
    return this.prisma.$executeRawUnsafe(ENSURE_DRAFTS, subscriptionId);
  }

  async drafts(limit: number) {
    return this.prisma.apiInvoice.findMany({ where: { status: 'DRAFT' }, orderBy: { periodStart: 'asc' }, take: limit, select: { id: true, subscriptionId: true, periodStart: true, periodEnd: true } });
  }

  /** Takes the draft's row lock (or finds it is no longer a draft): what recompute and finalization start with. */
  async lockDraft(tx: Tx, invoiceId: string, finalize: { at: Date } | null): Promise<boolean> {
    const data = finalize ? { status: 'FINALIZED' as const, finalizedAt: finalize.at } : { updatedAt: new Date() };
    return (await tx.apiInvoice.updateMany({ where: { id: invoiceId, status: 'DRAFT' }, data })).count === 1;
  }

  async facts(tx: Tx, invoiceId: string): Promise<InvoiceFacts> {
    const invoice = await tx.apiInvoice.findUniqueOrThrow({
      where: { id: invoiceId },
      select: { id: true, subscriptionId: true, periodStart: true, periodEnd: true, status: true, publisherOrganizationId: true, consumerOrganizationId: true },
    });
    const subscription = await tx.apiSubscription.findUniqueOrThrow({ where: { id: invoice.subscriptionId }, select: { planVersionId: true, spendCapMicros: true } });
    const changes = await tx.apiSubscriptionChange.findMany({ where: { subscriptionId: invoice.subscriptionId }, orderBy: { at: 'asc' }, select: { at: true, fromPlanVersionId: true, toPlanVersionId: true } });
    const usageRows = await tx.$queryRawUnsafe<{ planVersionId: string; calls: number; units: bigint; from: Date | null; to: Date | null }[]>(USAGE, invoice.subscriptionId, invoice.periodStart, invoice.periodEnd);
    const tokenRows = await tx.$queryRawUnsafe<{ planVersionId: string; input: bigint; output: bigint; cached: bigint; cost: bigint }[]>(TOKENS, invoice.subscriptionId, invoice.periodStart, invoice.periodEnd);
    const ids = new Set([subscription.planVersionId, ...changes.flatMap((c) => [c.fromPlanVersionId, c.toPlanVersionId]), ...usageRows.map((u) => u.planVersionId)]);
    const versions = await tx.apiPlanVersion.findMany({ where: { id: { in: [...ids] } }, select: { id: true, version: true, pricing: true, plan: { select: { name: true } } } });
    const credit = await tx.apiLedgerEntry.aggregate({
      where: { subscriptionId: invoice.subscriptionId, kind: { in: [...CREDIT_KINDS] }, OR: [{ invoiceId: null }, { invoiceId: { not: invoiceId } }] },
      _sum: { amountMicros: true },
    });
    const settings = await tx.apiPublisherSettings.findUnique({ where: { organizationId: invoice.publisherOrganizationId } });
    return {
      invoice,
      subscription,
      changes,
      versions: versions.map((v) => ({ id: v.id, version: v.version, planName: v.plan.name, pricing: v.pricing })),
      usage: usageRows.map((u) => ({ planVersionId: u.planVersionId, calls: Number(u.calls), units: Number(u.units), from: u.from, to: u.to })),
      tokens: tokenRows.map((t) => ({ planVersionId: t.planVersionId, input: Number(t.input), output: Number(t.output), cached: Number(t.cached), costMicros: BigInt(t.cost) })),
      creditBalanceMicros: credit._sum.amountMicros ?? 0n,
      taxRateBps: settings?.taxRateBps ?? 0,
    };
  }

  /** Replaces the invoice's lines and totals with a rating (inside the transaction that locked it). */
  async writeRating(tx: Tx, invoiceId: string, rated: RatedInvoice, taxRateBps: number, number?: string): Promise<void> {
    await tx.apiInvoiceLine.deleteMany({ where: { invoiceId } });
    if (rated.lines.length > 0)
      await tx.apiInvoiceLine.createMany({
        data: rated.lines.map((l, position) => ({ invoiceId, position, kind: l.kind, description: l.description, quantity: l.quantity, unitPriceMicros: l.unitPriceMicros, amountMicros: l.amountMicros, usageFrom: l.usageFrom, usageTo: l.usageTo, planVersionId: l.planVersionId })),
      });
    await tx.apiInvoice.update({
      where: { id: invoiceId },
      data: { subtotalMicros: rated.subtotalMicros, taxRateBps, taxMicros: rated.taxMicros, totalMicros: rated.totalMicros, ...(number ? { number } : {}) },
    });
  }

  /**
   * The publisher's next invoice number, `<publisher slug>-000042`. A transaction-scoped advisory
   * lock per publisher serialises numbering, so two finalizations never take the same number.
   */
  async nextNumber(tx: Tx, publisherOrganizationId: string): Promise<string> {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('api-invoice-number:' || $1))`, publisherOrganizationId);
    const issued = await tx.apiInvoice.count({ where: { publisherOrganizationId, number: { not: null } } });
    const org = await tx.organization.findUnique({ where: { id: publisherOrganizationId }, select: { slug: true } });
    return `${org?.slug ?? publisherOrganizationId.slice(0, 8)}-${String(issued + 1).padStart(6, '0')}`;
  }

  /** Ledger rows of a finalization, each once (a retried finalization finds its idempotency keys taken). */
  async writeFinalizationLedger(tx: Tx, facts: InvoiceFacts, rated: RatedInvoice): Promise<void> {
    const { invoice } = facts;
    const entries = [
      // The consumer's account is charged the invoice's total (negative: money owed).
      { kind: 'INVOICE_FINALIZED' as const, amountMicros: -rated.totalMicros, idempotencyKey: `invoice:${invoice.id}:finalized`, memo: `invoice for ${invoice.periodStart.toISOString()}–${invoice.periodEnd.toISOString()}` },
      ...(rated.creditsAppliedMicros > 0n
        ? [{ kind: 'CREDIT_USAGE' as const, amountMicros: -rated.creditsAppliedMicros, idempotencyKey: `invoice:${invoice.id}:credit-usage`, memo: 'prepaid credits drawn by the period’s usage' }]
        : []),
    ];
    await tx.apiLedgerEntry.createMany({
      data: entries.map((e) => ({ ...e, organizationId: invoice.consumerOrganizationId, subscriptionId: invoice.subscriptionId, invoiceId: invoice.id })),
      skipDuplicates: true,
    });
  }

  /** Subscriptions whose period has ended (canceled ones stop rolling). */
  async duePeriods(now: Date, limit: number) {
    return this.prisma.apiSubscription.findMany({
      where: { currentPeriodEnd: { lte: now }, status: { not: 'CANCELED' } },
      take: limit,
      select: { id: true, planId: true, planVersionId: true, currentPeriodStart: true, currentPeriodEnd: true, listingId: true, consumerOrganizationId: true, publisherOrganizationId: true, plan: { select: { currentVersionId: true } } },
    });
  }

  /** The start of a subscription's first period (its month anchor). */
  async firstPeriodStart(subscriptionId: string): Promise<Date | null> {
    const first = await this.prisma.apiInvoice.findFirst({ where: { subscriptionId }, orderBy: { periodStart: 'asc' }, select: { periodStart: true } });
    return first?.periodStart ?? null;
  }

  /**
   * Moves a subscription to its next period, claimed by its current start (a second worker's
   * roll of the same period changes nothing): the plan's current version applies from the new
   * period (recorded as a plan change at its start), and the new period's draft is created.
   */
  async rollPeriod(
    sub: { id: string; planVersionId: string; currentPeriodStart: Date; listingId: string; consumerOrganizationId: string; publisherOrganizationId: string },
    next: { start: Date; end: Date; planVersionId: string },
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const claimed = await tx.apiSubscription.updateMany({
        where: { id: sub.id, currentPeriodStart: sub.currentPeriodStart },
        data: { currentPeriodStart: next.start, currentPeriodEnd: next.end, planVersionId: next.planVersionId },
      });
      if (claimed.count === 0) return false;
      if (next.planVersionId !== sub.planVersionId)
        await tx.apiSubscriptionChange.create({ data: { subscriptionId: sub.id, fromPlanVersionId: sub.planVersionId, toPlanVersionId: next.planVersionId, at: next.start } });
      await tx.apiInvoice.createMany({
        data: [{ subscriptionId: sub.id, listingId: sub.listingId, consumerOrganizationId: sub.consumerOrganizationId, publisherOrganizationId: sub.publisherOrganizationId, periodStart: next.start, periodEnd: next.end }],
        skipDuplicates: true,
      });
      return true;
    });
  }
}
