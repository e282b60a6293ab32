import { Controller, Inject, Param } from '@nestjs/common';
import { InvoicesService } from '@slipway/billing';
import type { InvoiceDetailDto, InvoiceLineUsageDto, InvoicesPageDto, InvoicesQuery, OrgActor, SubscriptionUsageDto, UsageEventsPageDto, UsageEventsQuery } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** A consumer organization's invoices of the APIs it subscribes to, their drill-down, and "usage now" (docs/marketplace.md). */
@Controller()
export class BillingInvoicesController {
  constructor(@Inject(InvoicesService) private readonly invoices: InvoicesService) {}

  @Route('consumerInvoices')
  consumerInvoices(@CurrentOrg() actor: OrgActor, @ValidQuery('consumerInvoices') query: InvoicesQuery): Promise<InvoicesPageDto> {
    return this.invoices.list(actor, 'consumer', query);
  }

  @Route('consumerInvoice')
  consumerInvoice(@CurrentOrg() actor: OrgActor, @Param('invoice') invoice: string): Promise<InvoiceDetailDto> {
    return this.invoices.detail(actor, 'consumer', invoice);
  }

  @Route('invoiceLineUsage')
  invoiceLineUsage(@CurrentOrg() actor: OrgActor, @Param('invoice') invoice: string, @Param('line') line: string): Promise<InvoiceLineUsageDto> {
    return this.invoices.lineUsage(actor, invoice, line);
  }

  @Route('invoiceUsageEvents')
  invoiceUsageEvents(@CurrentOrg() actor: OrgActor, @Param('invoice') invoice: string, @ValidQuery('invoiceUsageEvents') query: UsageEventsQuery): Promise<UsageEventsPageDto> {
    return this.invoices.usageEvents(actor, invoice, query);
  }

  @Route('subscriptionUsage')
  subscriptionUsage(@CurrentOrg() actor: OrgActor, @Param('subscription') subscription: string): Promise<SubscriptionUsageDto> {
    return this.invoices.subscriptionUsage(actor, subscription);
  }
}
