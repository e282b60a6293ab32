import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type ApiCreditNote, type ApiInvoice, type ApiInvoiceLine, type ApiUsageEvent } from '@slipway/db';

export interface InvoiceDocument {
  invoice: ApiInvoice;
  lines: ApiInvoiceLine[];
  creditNotes: ApiCreditNote[];
  listingName: string;
  publisherName: string;
  consumerName: string;
}

/** Who asks: the publisher (by its listing's slug) or the consumer of the invoice. */
export type InvoiceOwner = { as: 'publisher'; scope: TenantScope; listingSlug: string } | { as: 'consumer'; scope: TenantScope };

/** Invoices and their usage events for exports, tenant scope first: another organization's invoice is null. */
@Injectable()
export class ExportsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async invoice(owner: InvoiceOwner, invoiceId: string): Promise<InvoiceDocument | null> {
    let invoice: ApiInvoice | null;
    if (owner.as === 'publisher') {
      const listing = await this.prisma.apiListing.findFirst({ where: { organizationId: owner.scope.organizationId, slug: owner.listingSlug }, select: { id: true } });
      invoice = listing ? await this.prisma.apiInvoice.findFirst({ where: { publisherOrganizationId: owner.scope.organizationId, listingId: listing.id, id: invoiceId } }) : null;
    } else {
      invoice = await this.prisma.apiInvoice.findFirst({ where: { consumerOrganizationId: owner.scope.organizationId, id: invoiceId } });
    }
    if (!invoice) return null;
    const [lines, creditNotes, listing, orgs] = await Promise.all([
      this.prisma.apiInvoiceLine.findMany({ where: { invoiceId: invoice.id }, orderBy: { position: 'asc' } }),
      this.prisma.apiCreditNote.findMany({ where: { invoiceId: invoice.id }, orderBy: { createdAt: 'asc' } }),
      this.prisma.apiListing.findUnique({ where: { id: invoice.listingId }, select: { name: true } }),
      this.prisma.organization.findMany({ where: { id: { in: [invoice.publisherOrganizationId, invoice.consumerOrganizationId] } }, select: { id: true, name: true } }),
    ]);
    const nameOf = (id: string) => orgs.find((o) => o.id === id)?.name ?? id;
    return { invoice, lines, creditNotes, listingName: listing?.name ?? invoice.listingId, publisherName: nameOf(invoice.publisherOrganizationId), consumerName: nameOf(invoice.consumerOrganizationId) };
  }

  /**
   * One page (time, id order) of the live events behind a line: the invoice's subscription, in
   * the line's usage window, of the line's plan version when it names one. Scoped by the
   * invoice's own organizations, which the caller has already proved it belongs to.
   */
  lineEvents(invoice: ApiInvoice, line: ApiInvoiceLine, after: { time: Date; id: string } | null, limit: number): Promise<ApiUsageEvent[]> {
    return this.prisma.apiUsageEvent.findMany({
      where: {
        publisherOrganizationId: invoice.publisherOrganizationId,
        consumerOrganizationId: invoice.consumerOrganizationId,
        subscriptionId: invoice.subscriptionId,
        live: true,
        time: { gte: line.usageFrom ?? invoice.periodStart, lt: line.usageTo ?? invoice.periodEnd },
        ...(line.planVersionId ? { planVersionId: line.planVersionId } : {}),
        ...(after ? { OR: [{ time: { gt: after.time } }, { time: after.time, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ time: 'asc' }, { id: 'asc' }],
      take: limit,
    });
  }
}
