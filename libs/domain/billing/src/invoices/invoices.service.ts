import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type {
  CreateCreditNoteInput,
  CreditNoteDto,
  InvoiceDetailDto,
  InvoiceLineUsageDto,
  InvoicesPageDto,
  InvoicesQuery,
  OrgActor,
  PublisherBillingDto,
  SubscriptionUsageDto,
  TenantScope,
  UsageDayDto,
  UsageEventsPageDto,
  UsageEventsQuery,
} from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { versionSpans } from '../rating';
import { decodeCursor, encodeCursor, micros, toCreditNoteDto, toEventDto, toInvoiceDto, toLineDto } from './invoice-dto';
import { InvoiceDraftsService } from './invoice-drafts.service';
import { InvoiceStoreRepository } from './invoice-store.repository';
import { InvoicesRepository, type InvoiceSide } from './invoices.repository';

const notFound = (what: string) => new AppError('NOT_FOUND', `No such ${what} in this organization.`);

/** The api's invoice reads and writes, for consumers (their subscriptions) and publishers (their listings). */
@Injectable()
export class InvoicesService {
  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'MARKETPLACE_INVOICE_GRACE_MINUTES'>,
    @Inject(InvoicesRepository) private readonly invoices: InvoicesRepository,
    @Inject(InvoiceDraftsService) private readonly drafts: InvoiceDraftsService,
    @Inject(InvoiceStoreRepository) private readonly store: InvoiceStoreRepository,
  ) {}

  async list(scope: TenantScope, as: InvoiceSide, query: InvoicesQuery, api?: string): Promise<InvoicesPageDto> {
    const listingId = api === undefined ? undefined : await this.listingId(scope, api);
    const rows = await this.invoices.list(scope, as, { listingId, subscriptionId: query.subscriptionId, status: query.status }, query.limit + 1, decodeCursor(query.cursor));
    const page = rows.slice(0, query.limit);
    const listings = new Map((await this.invoices.listingNames([...new Set(page.map((r) => r.listingId))])).map((l) => [l.id, l]));
    const last = page[page.length - 1];
    return {
      invoices: page.map((r) => toInvoiceDto(r, listings.get(r.listingId), this.config.MARKETPLACE_INVOICE_GRACE_MINUTES)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.periodStart, id: last.id }) : null,
    };
  }

  /** One invoice with its lines; a draft is recomputed from its events first, so it shows every call stored so far. */
  async detail(scope: TenantScope, as: InvoiceSide, id: string, api?: string): Promise<InvoiceDetailDto> {
    const listingId = api === undefined ? undefined : await this.listingId(scope, api);
    const first = await this.invoices.find(scope, as, id, listingId);
    if (!first) throw notFound('invoice');
    if (first.status === 'DRAFT') await this.drafts.recompute(first.id);
    const row = first.status === 'DRAFT' ? await this.invoices.find(scope, as, id, listingId) : first;
    if (!row) throw notFound('invoice');
    const [listing] = await this.invoices.listingNames([row.listingId]);
    return {
      ...toInvoiceDto(row, listing, this.config.MARKETPLACE_INVOICE_GRACE_MINUTES),
      lines: row.lines.map(toLineDto),
      creditNotes: row.creditNotes.map(toCreditNoteDto),
      lateEvents: await this.invoices.lateEvents(row.id),
    };
  }

  /** A line's usage per UTC day: its own window and plan version, or the whole period for a fee. */
  async lineUsage(scope: TenantScope, invoiceId: string, lineId: string): Promise<InvoiceLineUsageDto> {
    const invoice = await this.invoices.find(scope, 'consumer', invoiceId);
    const line = invoice?.lines.find((l) => l.id === lineId);
    if (!invoice || !line) throw notFound('invoice line');
    const from = line.usageFrom ?? invoice.periodStart;
    const to = line.usageTo ?? new Date(invoice.periodEnd.getTime() - 1);
    const days = await this.invoices.usageByDay(invoice.subscriptionId, from, to, line.planVersionId);
    return { invoiceId, lineId, from: from.toISOString(), to: to.toISOString(), days: days.map(toDay) };
  }

  /** The raw events of an invoice's period (late ones included, flagged), oldest first. */
  async usageEvents(scope: TenantScope, invoiceId: string, query: UsageEventsQuery): Promise<UsageEventsPageDto> {
    const invoice = await this.invoices.find(scope, 'consumer', invoiceId);
    if (!invoice) throw notFound('invoice');
    const from = query.from ? new Date(Math.max(Date.parse(query.from), invoice.periodStart.getTime())) : invoice.periodStart;
    const to = query.to ? new Date(Math.min(Date.parse(query.to), invoice.periodEnd.getTime())) : invoice.periodEnd;
    const rows = await this.invoices.events(invoice.subscriptionId, from, to, query.limit + 1, decodeCursor(query.cursor));
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { events: page.map(toEventDto), nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.time, id: last.id }) : null };
  }

  /** This period's calls by day and the charges so far (the draft recomputed now). */
  async subscriptionUsage(scope: TenantScope, subscriptionId: string): Promise<SubscriptionUsageDto> {
    const sub = await this.invoices.consumerSubscription(scope, subscriptionId);
    if (!sub) throw notFound('subscription');
    await this.store.ensureDrafts(sub.id);
    const invoice = await this.invoices.currentInvoiceId(sub.id, sub.currentPeriodStart);
    if (!invoice) throw notFound('subscription');
    const result = await this.drafts.recompute(invoice.id);
    const days = await this.invoices.usageByDay(sub.id, sub.currentPeriodStart, new Date(sub.currentPeriodEnd.getTime() - 1), null);
    let creditBalanceMicros: number | null = null;
    let chargesMicros = 0;
    if (result) {
      const { facts, rated } = result;
      chargesMicros = micros(rated.totalMicros);
      const spans = versionSpans(facts.invoice.periodStart, facts.invoice.periodEnd, facts.subscription.planVersionId, facts.changes);
      const now = new Date();
      const inForce = spans.find((s) => s.from <= now && now < s.to)?.planVersionId ?? facts.subscription.planVersionId;
      const pricing = facts.versions.find((v) => v.id === inForce)?.pricing as { kind?: string } | undefined;
      if (pricing?.kind === 'prepaid') creditBalanceMicros = micros(facts.creditBalanceMicros - rated.prepaidChargesMicros);
    }
    return {
      subscriptionId: sub.id,
      periodStart: sub.currentPeriodStart.toISOString(),
      periodEnd: sub.currentPeriodEnd.toISOString(),
      days: days.map(toDay),
      chargesMicros,
      spendCapMicros: sub.spendCapMicros === null ? null : micros(sub.spendCapMicros),
      creditBalanceMicros,
      invoiceId: invoice.id,
    };
  }

  /** A credit note on a finalized (or paid) invoice of the caller's listing, at most what is left uncredited. */
  async createCreditNote(actor: OrgActor, api: string, invoiceId: string, input: CreateCreditNoteInput): Promise<CreditNoteDto> {
    const listingId = await this.listingId(actor, api);
    const note = await this.invoices.transaction(async (tx) => {
      const invoice = await this.invoices.lockForCredit(tx, actor, listingId, invoiceId);
      if (!invoice) throw notFound('invoice');
      if (invoice.status !== 'FINALIZED' && invoice.status !== 'PAID') throw new AppError('INVOICE_NOT_FINALIZED');
      const remaining = invoice.totalMicros - invoice.creditedMicros;
      const amount = BigInt(input.amountMicros);
      if (amount > remaining) throw new AppError('CREDIT_EXCEEDS_INVOICE', `At most ${remaining} micro-USD is left uncredited on this invoice.`);
      return this.invoices.createCreditNote(tx, invoice, amount, input.reason, actor.userId);
    });
    return toCreditNoteDto(note);
  }

  async publisherBilling(scope: TenantScope): Promise<PublisherBillingDto> {
    return { taxRateBps: (await this.invoices.taxRate(scope))?.taxRateBps ?? 0 };
  }

  async setPublisherBilling(scope: TenantScope, taxRateBps: number): Promise<PublisherBillingDto> {
    return { taxRateBps: (await this.invoices.setTaxRate(scope, taxRateBps)).taxRateBps };
  }

  private async listingId(scope: TenantScope, api: string): Promise<string> {
    const listing = await this.invoices.publisherListing(scope, api);
    if (!listing) throw notFound('API');
    return listing.id;
  }
}

function toDay(d: { day: string; calls: number; units: bigint; testCalls: number }): UsageDayDto {
  return { day: d.day, calls: Number(d.calls), units: Number(d.units), testCalls: Number(d.testCalls) };
}
