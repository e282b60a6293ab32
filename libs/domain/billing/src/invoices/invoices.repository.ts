import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Prisma, type Tx } from '@slipway/db';

/** Whose side of an invoice the caller is on: every query filters by this organization first. */
export type InvoiceSide = 'consumer' | 'publisher';

const side = (scope: TenantScope, as: InvoiceSide): Prisma.ApiInvoiceWhereInput =>
  as === 'consumer' ? { consumerOrganizationId: scope.organizationId } : { publisherOrganizationId: scope.organizationId };

const utc = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;

/** A page position: the last row's sort key. */
export interface Position {
  at: Date;
  id: string;
}

/**
 * Invoices as the api reads them, tenant scope first: a consumer organization sees the
 * invoices of its subscriptions, a publisher those of its listings; anything else is not found.
 */
@Injectable()
export class InvoicesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Newest period first; `after` = the last row of the previous page. */
  async list(scope: TenantScope, as: InvoiceSide, filter: { listingId?: string; subscriptionId?: string; status?: Prisma.ApiInvoiceWhereInput['status'] }, limit: number, after?: Position) {
    return this.prisma.apiInvoice.findMany({
      where: {
        ...side(scope, as),
        ...(filter.listingId ? { listingId: filter.listingId } : {}),
        ...(filter.subscriptionId ? { subscriptionId: filter.subscriptionId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(after ? { OR: [{ periodStart: { lt: after.at } }, { periodStart: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ periodStart: 'desc' }, { id: 'desc' }],
      take: limit,
      include: { creditNotes: { select: { amountMicros: true } } },
    });
  }

  async find(scope: TenantScope, as: InvoiceSide, id: string, listingId?: string) {
    return this.prisma.apiInvoice.findFirst({
      where: { ...side(scope, as), id, ...(listingId ? { listingId } : {}) },
      include: { lines: { orderBy: { position: 'asc' } }, creditNotes: { orderBy: { createdAt: 'asc' } } },
    });
  }

  lateEvents(invoiceId: string): Promise<number> {
    return this.prisma.apiUsageEvent.count({ where: { lateForInvoiceId: invoiceId } });
  }

  async listingNames(ids: readonly string[]) {
    return this.prisma.apiListing.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, slug: true } });
  }

  /** The caller's own listing, by slug or id. */
  async publisherListing(scope: TenantScope, api: string) {
    return this.prisma.apiListing.findFirst({ where: { organizationId: scope.organizationId, OR: [{ slug: api }, { id: api }] }, select: { id: true } });
  }

  async consumerSubscription(scope: TenantScope, id: string) {
    return this.prisma.apiSubscription.findFirst({
      where: { consumerOrganizationId: scope.organizationId, id },
      select: { id: true, currentPeriodStart: true, currentPeriodEnd: true, spendCapMicros: true },
    });
  }

  async currentInvoiceId(subscriptionId: string, periodStart: Date) {
    return this.prisma.apiInvoice.findUnique({ where: { subscriptionId_periodStart: { subscriptionId, periodStart } }, select: { id: true } });
  }

  /** Calls and units per UTC day of a subscription in `[from, to]` (late events excluded: they are not on any invoice). */
  async usageByDay(subscriptionId: string, from: Date, to: Date, planVersionId: string | null) {
    return this.prisma.$queryRawUnsafe<{ day: string; calls: number; units: bigint; testCalls: number }[]>(
      `SELECT to_char(date_trunc('day', time), 'YYYY-MM-DD') AS day, (count(*) FILTER (WHERE live))::int AS calls,
         coalesce(sum(weight) FILTER (WHERE live), 0)::bigint AS units, (count(*) FILTER (WHERE NOT live))::int AS "testCalls"
       FROM "ApiUsageEvent"
       WHERE "subscriptionId" = $1 AND time >= ${utc('$2')} AND time <= ${utc('$3')} AND "lateForInvoiceId" IS NULL AND ($4::text IS NULL OR "planVersionId" = $4)
       GROUP BY 1 ORDER BY 1`,
      subscriptionId,
      from,
      to,
      planVersionId,
    );
  }

  /** Raw events of a subscription in `[from, to)`, oldest first, after `after`. */
  async events(subscriptionId: string, from: Date, to: Date, limit: number, after?: Position) {
    return this.prisma.apiUsageEvent.findMany({
      where: {
        subscriptionId,
        time: { gte: from, lt: to },
        ...(after ? { OR: [{ time: { gt: after.at } }, { time: after.at, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ time: 'asc' }, { id: 'asc' }],
      take: limit,
    });
  }

  async taxRate(scope: TenantScope) {
    return this.prisma.apiPublisherSettings.findUnique({ where: { organizationId: scope.organizationId } });
  }

  async setTaxRate(scope: TenantScope, taxRateBps: number) {
    return this.prisma.apiPublisherSettings.upsert({
      where: { organizationId: scope.organizationId },
      create: { organizationId: scope.organizationId, taxRateBps },
      update: { taxRateBps },
    });
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  /** The publisher's invoice, row-locked for a credit note, with what was credited so far. */
  async lockForCredit(tx: Tx, scope: TenantScope, listingId: string, invoiceId: string) {
    const rows = await tx.$queryRawUnsafe<{ id: string; status: string; totalMicros: bigint; consumerOrganizationId: string; subscriptionId: string }[]>(
      `SELECT id, status::text AS status, "totalMicros", "consumerOrganizationId", "subscriptionId" FROM "ApiInvoice"
       WHERE "publisherOrganizationId" = $1 AND "listingId" = $2 AND id = $3 FOR UPDATE`,
      scope.organizationId,
      listingId,
      invoiceId,
    );
    const invoice = rows[0];
    if (!invoice) return null;
    const credited = await tx.apiCreditNote.aggregate({ where: { invoiceId }, _sum: { amountMicros: true } });
    return { ...invoice, totalMicros: BigInt(invoice.totalMicros), creditedMicros: credited._sum.amountMicros ?? 0n };
  }

  /** A credit note and its ledger entry (the consumer's account is credited). */
  async createCreditNote(tx: Tx, invoice: { id: string; consumerOrganizationId: string; subscriptionId: string }, amountMicros: bigint, reason: string, actorId: string) {
    const note = await tx.apiCreditNote.create({ data: { invoiceId: invoice.id, amountMicros, reason, createdById: actorId } });
    await tx.apiLedgerEntry.create({
      data: {
        organizationId: invoice.consumerOrganizationId,
        kind: 'CREDIT_NOTE',
        amountMicros,
        subscriptionId: invoice.subscriptionId,
        invoiceId: invoice.id,
        idempotencyKey: `credit-note:${note.id}`,
        memo: reason,
      },
    });
    return note;
  }
}
