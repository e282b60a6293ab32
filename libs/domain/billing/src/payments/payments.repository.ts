import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { Prisma, PrismaService, type ApiInvoice, type Tx } from '@slipway/db';

/**
 * An invoice (alias `i`) that makes its subscription past due: finalized before `before`, and
 * still owing something once its credit notes are taken off (a $0 or fully credited invoice
 * owes nothing, so a free plan never goes past due).
 */
const overdue = (before: Date) => Prisma.sql`i.status = 'FINALIZED' AND i."finalizedAt" < ${before}
  AND i."totalMicros" > coalesce((SELECT sum(c."amountMicros") FROM "ApiCreditNote" c WHERE c."invoiceId" = i.id), 0)`;

/** An invoice with the status of its subscription: what a payment view shows. */
export type PayableInvoice = ApiInvoice & { subscriptionStatus: 'ACTIVE' | 'PAST_DUE' | 'CANCELED' };

/**
 * Invoices as payments see them, tenant scope first: a publisher reaches the invoices of its own
 * listings (by the listing's slug), a consumer the invoices of its own subscriptions; anything
 * else is null (the caller answers 404).
 */
@Injectable()
export class PaymentsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async publisherInvoice(scope: TenantScope, listingSlug: string, invoiceId: string, tx?: Tx): Promise<PayableInvoice | null> {
    const listing = await (tx ?? this.prisma).apiListing.findFirst({ where: { organizationId: scope.organizationId, slug: listingSlug }, select: { id: true } });
    if (!listing) return null;
    const invoice = await (tx ?? this.prisma).apiInvoice.findFirst({ where: { publisherOrganizationId: scope.organizationId, listingId: listing.id, id: invoiceId } });
    return invoice && this.withSubscription(invoice, tx);
  }

  async consumerInvoice(scope: TenantScope, invoiceId: string, tx?: Tx): Promise<PayableInvoice | null> {
    const invoice = await (tx ?? this.prisma).apiInvoice.findFirst({ where: { consumerOrganizationId: scope.organizationId, id: invoiceId } });
    return invoice && this.withSubscription(invoice, tx);
  }

  /** Internal lookups (webhooks, jobs): the caller proved the invoice by a verified provider event or is the platform itself. */
  async invoiceById(invoiceId: string, tx?: Tx): Promise<PayableInvoice | null> {
    const invoice = await (tx ?? this.prisma).apiInvoice.findUnique({ where: { id: invoiceId } });
    return invoice && this.withSubscription(invoice, tx);
  }

  private async withSubscription(invoice: ApiInvoice, tx?: Tx): Promise<PayableInvoice> {
    const subscription = await (tx ?? this.prisma).apiSubscription.findFirst({
      where: { consumerOrganizationId: invoice.consumerOrganizationId, id: invoice.subscriptionId },
      select: { status: true },
    });
    return { ...invoice, subscriptionStatus: subscription?.status ?? 'CANCELED' };
  }

  /**
   * FINALIZED → PAID, with the INVOICE_PAID ledger entry (idempotency key `invoice:<id>:paid`),
   * and the subscription back to ACTIVE when it was PAST_DUE and no other invoice of it is
   * overdue. Returns false when the invoice was no longer FINALIZED (paid meanwhile, voided).
   */
  async markPaid(invoice: ApiInvoice, payment: { provider: string; reference: string; at: Date; overdueBefore: Date }, tx: Tx): Promise<boolean> {
    const updated = await tx.apiInvoice.updateMany({
      where: { publisherOrganizationId: invoice.publisherOrganizationId, id: invoice.id, status: 'FINALIZED' },
      data: { status: 'PAID', paidAt: payment.at, paymentProvider: payment.provider, paymentReference: payment.reference },
    });
    if (updated.count === 0) return false;
    await tx.apiLedgerEntry.create({
      data: {
        organizationId: invoice.consumerOrganizationId,
        kind: 'INVOICE_PAID',
        amountMicros: invoice.totalMicros,
        subscriptionId: invoice.subscriptionId,
        invoiceId: invoice.id,
        idempotencyKey: `invoice:${invoice.id}:paid`,
        memo: `${payment.provider}: ${payment.reference}`,
      },
    });
    const [row] = await tx.$queryRaw<{ overdue: bigint }[]>`
      SELECT count(*)::int8 AS overdue FROM "ApiInvoice" i
      WHERE i."consumerOrganizationId" = ${invoice.consumerOrganizationId} AND i."subscriptionId" = ${invoice.subscriptionId} AND ${overdue(payment.overdueBefore)}`;
    const stillOverdue = Number(row?.overdue ?? 0n);
    if (stillOverdue === 0) {
      await tx.apiSubscription.updateMany({ where: { consumerOrganizationId: invoice.consumerOrganizationId, id: invoice.subscriptionId, status: 'PAST_DUE' }, data: { status: 'ACTIVE' } });
    }
    return true;
  }

  /**
   * Every ACTIVE subscription with a FINALIZED invoice finalized before `overdueBefore` becomes
   * PAST_DUE (CANCELED ones stay canceled). Returns the ids that changed, for the edge records.
   */
  async markOverdue(overdueBefore: Date): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "ApiSubscription" s SET status = 'PAST_DUE'
      WHERE s.status = 'ACTIVE' AND EXISTS (
        SELECT 1 FROM "ApiInvoice" i
        WHERE i."subscriptionId" = s.id AND i."consumerOrganizationId" = s."consumerOrganizationId" AND ${overdue(overdueBefore)}
      )
      RETURNING s.id`;
    return rows.map((r) => r.id);
  }

  /** Finalized invoices no provider has been asked to collect yet (oldest first, bounded). */
  async uncollected(limit: number): Promise<ApiInvoice[]> {
    return this.prisma.apiInvoice.findMany({ where: { status: 'FINALIZED', paymentProvider: null }, orderBy: { finalizedAt: 'asc' }, take: limit });
  }

  /** Records which provider collects an invoice (and its reference), once. */
  async recordCollection(invoice: ApiInvoice, provider: string, reference: string | null): Promise<void> {
    await this.prisma.apiInvoice.updateMany({
      where: { publisherOrganizationId: invoice.publisherOrganizationId, id: invoice.id, paymentProvider: null },
      data: { paymentProvider: provider, paymentReference: reference },
    });
  }

  async organizationName(organizationId: string): Promise<string> {
    const org = await this.prisma.organization.findUnique({ where: { id: organizationId }, select: { name: true } });
    return org?.name ?? organizationId;
  }

  async stripeCustomerOf(organizationId: string): Promise<string | null> {
    const account = await this.prisma.apiPaymentAccount.findUnique({ where: { organizationId } });
    return account?.stripeCustomerId ?? null;
  }

  async saveStripeCustomer(organizationId: string, customerId: string): Promise<void> {
    await this.prisma.apiPaymentAccount.upsert({ where: { organizationId }, create: { organizationId, stripeCustomerId: customerId }, update: { stripeCustomerId: customerId } });
  }

  /** Stores a provider event by its id; false when it was already stored (a redelivery). */
  async recordEvent(event: { id: string; provider: string; type: string; invoiceId: string | null; outcome: string; detail: string | null }, tx?: Tx): Promise<boolean> {
    const inserted = await (tx ?? this.prisma).apiPaymentEvent.createMany({ data: [event], skipDuplicates: true });
    return inserted.count === 1;
  }

  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    return this.prisma.$transaction(fn);
  }
}
