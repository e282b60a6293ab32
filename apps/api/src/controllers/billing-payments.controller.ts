import { Readable } from 'node:stream';
import { Controller, Inject, Param, StreamableFile } from '@nestjs/common';
import { ExportsService, PaymentsService, PayoutsService, type ExportFile, type InvoiceOwner } from '@slipway/billing';
import type { InvoicePaymentDto, MarkInvoicePaidInput, MarkPayoutPaidInput, OrgActor, PayoutAccountDto, PayoutDto, SetPayoutAccountInput } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** A download: its content type and `attachment; filename=…` (names are [A-Za-z0-9._-] only). */
function download(file: ExportFile): StreamableFile {
  const options = { type: file.contentType, disposition: `attachment; filename="${file.filename}"` };
  if (file.body instanceof Readable) return new StreamableFile(file.body, options);
  return new StreamableFile(typeof file.body === 'string' ? Buffer.from(file.body) : file.body, options);
}

/**
 * Payments, payouts and invoice exports of published APIs: `/orgs/:org/apis/:api/invoices/…`
 * for the publisher, `/orgs/:org/invoices/…` for the consumer, `/orgs/:org/payouts` for the
 * publisher's statements.
 */
@Controller()
export class BillingPaymentsController {
  constructor(
    @Inject(PaymentsService) private readonly payments: PaymentsService,
    @Inject(PayoutsService) private readonly payouts: PayoutsService,
    @Inject(ExportsService) private readonly exportsService: ExportsService,
  ) {}

  @Route('markInvoicePaid')
  markInvoicePaid(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('invoice') invoice: string, @ValidBody('markInvoicePaid') input: MarkInvoicePaidInput): Promise<InvoicePaymentDto> {
    return this.payments.markPaid(actor, api, invoice, input);
  }

  @Route('listingInvoicePayment')
  listingInvoicePayment(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('invoice') invoice: string): Promise<InvoicePaymentDto> {
    return this.payments.publisherPayment(actor, api, invoice);
  }

  @Route('consumerInvoicePayment')
  consumerInvoicePayment(@CurrentOrg() actor: OrgActor, @Param('invoice') invoice: string): Promise<InvoicePaymentDto> {
    return this.payments.consumerPayment(actor, invoice);
  }

  @Route('listPayouts')
  listPayouts(@CurrentOrg() actor: OrgActor): Promise<PayoutDto[]> {
    return this.payouts.list(actor);
  }

  @Route('getPayout')
  getPayout(@CurrentOrg() actor: OrgActor, @Param('payout') payout: string): Promise<PayoutDto> {
    return this.payouts.get(actor, payout);
  }

  @Route('markPayoutPaid')
  markPayoutPaid(@CurrentOrg() actor: OrgActor, @Param('payout') payout: string, @ValidBody('markPayoutPaid') input: MarkPayoutPaidInput): Promise<PayoutDto> {
    return this.payouts.markPaid(actor, payout, input);
  }

  @Route('transferPayout')
  transferPayout(@CurrentOrg() actor: OrgActor, @Param('payout') payout: string): Promise<PayoutDto> {
    return this.payouts.transfer(actor, payout);
  }

  @Route('getPayoutAccount')
  getPayoutAccount(@CurrentOrg() actor: OrgActor): Promise<PayoutAccountDto> {
    return this.payouts.account(actor);
  }

  @Route('setPayoutAccount')
  setPayoutAccount(@CurrentOrg() actor: OrgActor, @ValidBody('setPayoutAccount') input: SetPayoutAccountInput): Promise<PayoutAccountDto> {
    return this.payouts.setAccount(actor, input);
  }

  @Route('listingInvoicePdf')
  async listingInvoicePdf(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('invoice') invoice: string): Promise<StreamableFile> {
    return download(await this.exportsService.invoicePdf(publisher(actor, api), invoice));
  }

  @Route('listingInvoiceCsv')
  async listingInvoiceCsv(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('invoice') invoice: string): Promise<StreamableFile> {
    return download(await this.exportsService.invoiceCsv(publisher(actor, api), invoice));
  }

  @Route('listingInvoiceLineEventsCsv')
  async listingInvoiceLineEventsCsv(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('invoice') invoice: string, @Param('line') line: string): Promise<StreamableFile> {
    return download(await this.exportsService.lineEventsCsv(publisher(actor, api), invoice, line));
  }

  @Route('consumerInvoicePdf')
  async consumerInvoicePdf(@CurrentOrg() actor: OrgActor, @Param('invoice') invoice: string): Promise<StreamableFile> {
    return download(await this.exportsService.invoicePdf({ as: 'consumer', scope: actor }, invoice));
  }

  @Route('consumerInvoiceCsv')
  async consumerInvoiceCsv(@CurrentOrg() actor: OrgActor, @Param('invoice') invoice: string): Promise<StreamableFile> {
    return download(await this.exportsService.invoiceCsv({ as: 'consumer', scope: actor }, invoice));
  }

  @Route('consumerInvoiceLineEventsCsv')
  async consumerInvoiceLineEventsCsv(@CurrentOrg() actor: OrgActor, @Param('invoice') invoice: string, @Param('line') line: string): Promise<StreamableFile> {
    return download(await this.exportsService.lineEventsCsv({ as: 'consumer', scope: actor }, invoice, line));
  }
}

const publisher = (actor: OrgActor, api: string): InvoiceOwner => ({ as: 'publisher', scope: actor, listingSlug: api });
