import { Controller, Inject, Param } from '@nestjs/common';
import { InvoicesService } from '@slipway/billing';
import type { CreateCreditNoteInput, CreditNoteDto, InvoiceDetailDto, InvoicesPageDto, InvoicesQuery, OrgActor, PublisherBillingDto, SetPublisherBillingInput } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody, ValidQuery } from '../http/params';

/** A publisher's side of billing: its listings' invoices, credit notes, its tax rate (docs/marketplace.md). `:api` is the listing's slug or id. */
@Controller()
export class BillingPublisherController {
  constructor(@Inject(InvoicesService) private readonly invoices: InvoicesService) {}

  @Route('listingInvoices')
  listingInvoices(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @ValidQuery('listingInvoices') query: InvoicesQuery): Promise<InvoicesPageDto> {
    return this.invoices.list(actor, 'publisher', query, api);
  }

  @Route('listingInvoice')
  listingInvoice(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('invoice') invoice: string): Promise<InvoiceDetailDto> {
    return this.invoices.detail(actor, 'publisher', invoice, api);
  }

  @Route('createCreditNote')
  createCreditNote(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('invoice') invoice: string, @ValidBody('createCreditNote') input: CreateCreditNoteInput): Promise<CreditNoteDto> {
    return this.invoices.createCreditNote(actor, api, invoice, input);
  }

  @Route('getPublisherBilling')
  getPublisherBilling(@CurrentOrg() actor: OrgActor): Promise<PublisherBillingDto> {
    return this.invoices.publisherBilling(actor);
  }

  @Route('setPublisherBilling')
  setPublisherBilling(@CurrentOrg() actor: OrgActor, @ValidBody('setPublisherBilling') input: SetPublisherBillingInput): Promise<PublisherBillingDto> {
    return this.invoices.setPublisherBilling(actor, input.taxRateBps);
  }
}
