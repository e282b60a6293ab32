import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import { CONFIG, type Config } from '@slipway/config';
import type { InvoicePaymentDto, MarkInvoicePaidInput, OrgActor, PaymentProviderName, TenantScope } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { centsFromMicros, PAYMENT_PROVIDER, type PaymentEvent, type PaymentProvider } from '@slipway/payments';
import { PaymentsRepository, type PayableInvoice } from './payments.repository';
import { noopSubscriptionRecordPublisher, SUBSCRIPTION_RECORD_PUBLISHER, type SubscriptionRecordPublisher } from '../periods/subscription-record-publisher';

const DAY_MS = 86_400_000;
/** Invoices handed to the provider per pass of the payments job. */
const COLLECT_BATCH = 100;

/**
 * Getting finalized invoices paid. The ledger is the record of truth: an invoice becomes PAID
 * only by a publisher ADMIN quoting the transfer's reference (manual), or by a verified provider
 * event naming a known, finalized invoice with exactly its amount (Stripe).
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('payments');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PaymentsRepository) private readonly repository: PaymentsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    // The edge reads PAST_DUE from the subscription's Redis record: billing's port to the marketplace's writer (a no-op until wired; the reconcile job heals within a minute).
    @Optional() @Inject(SUBSCRIPTION_RECORD_PUBLISHER) private readonly records: SubscriptionRecordPublisher = noopSubscriptionRecordPublisher,
  ) {}

  async publisherPayment(scope: TenantScope, listingSlug: string, invoiceId: string): Promise<InvoicePaymentDto> {
    return this.view(await this.found(this.repository.publisherInvoice(scope, listingSlug, invoiceId)));
  }

  async consumerPayment(scope: TenantScope, invoiceId: string): Promise<InvoicePaymentDto> {
    return this.view(await this.found(this.repository.consumerInvoice(scope, invoiceId)));
  }

  /** A publisher ADMIN records a bank transfer: FINALIZED → PAID, ledger INVOICE_PAID, PAST_DUE → ACTIVE. */
  async markPaid(actor: OrgActor, listingSlug: string, invoiceId: string, input: MarkInvoicePaidInput, now = new Date()): Promise<InvoicePaymentDto> {
    const invoice = await this.found(this.repository.publisherInvoice(actor, listingSlug, invoiceId));
    refuseUnpayable(invoice);
    const paid = await this.repository.transaction(async (tx) => {
      if (!(await this.repository.markPaid(invoice, { provider: 'manual', reference: input.reference, at: now, overdueBefore: this.overdueBefore(now) }, tx))) return false;
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'billing.invoice_marked_paid', target: `invoice:${invoice.number ?? invoice.id}`, metadata: { reference: input.reference, totalMicros: invoice.totalMicros.toString() } }, tx);
      return true;
    });
    const after = await this.found(this.repository.publisherInvoice(actor, listingSlug, invoiceId));
    if (!paid) refuseUnpayable(after); // paid or voided meanwhile
    await this.records.publish(invoice.subscriptionId);
    return this.view(after);
  }

  /**
   * A verified provider event. A payment is applied only to a known FINALIZED invoice whose total
   * in cents and currency match; anything else is refused (stored with the reason and logged).
   * A redelivered event is applied once (its id is stored).
   */
  async applyProviderEvent(event: PaymentEvent, now = new Date()): Promise<'applied' | 'ignored' | 'duplicate'> {
    if (event.kind === 'ignored') {
      await this.repository.recordEvent({ id: event.eventId, provider: this.provider.name, type: event.type, invoiceId: null, outcome: 'ignored', detail: null });
      return 'ignored';
    }
    const invoice = event.invoiceId ? await this.repository.invoiceById(event.invoiceId) : null;
    const refusal = !invoice
      ? `no invoice ${event.invoiceId ?? '(none in metadata)'}`
      : event.currency.toUpperCase() !== invoice.currency || event.amountCents !== centsFromMicros(invoice.totalMicros)
        ? `amount ${event.amountCents} ${event.currency} ≠ invoice ${centsFromMicros(invoice.totalMicros)} ${invoice.currency.toLowerCase()}`
        : invoice.status === 'PAID' && invoice.paymentReference === event.reference
          ? null
          : invoice.status !== 'FINALIZED'
            ? `invoice is ${invoice.status}`
            : null;
    if (refusal) {
      await this.repository.recordEvent({ id: event.eventId, provider: this.provider.name, type: 'payment_succeeded', invoiceId: invoice?.id ?? null, outcome: 'refused', detail: refusal });
      this.logger.warn(`payment event ${event.eventId} (${event.reference}) refused: ${refusal}`);
      throw new AppError('PAYMENT_EVENT_REFUSED', `Refused: ${refusal}.`);
    }
    const target = invoice!;
    const outcome = await this.repository.transaction(async (tx) => {
      if (!(await this.repository.recordEvent({ id: event.eventId, provider: this.provider.name, type: 'payment_succeeded', invoiceId: target.id, outcome: 'applied', detail: event.reference }, tx))) return 'duplicate' as const;
      if (target.status === 'PAID') return 'duplicate' as const;
      await this.repository.markPaid(target, { provider: this.provider.name, reference: event.reference, at: now, overdueBefore: this.overdueBefore(now) }, tx);
      return 'applied' as const;
    });
    if (outcome === 'applied') await this.records.publish(target.subscriptionId);
    return outcome;
  }

  /**
   * The payments job: hands new finalized invoices to the provider (Stripe: one PaymentIntent
   * each, idempotent per invoice; manual: recorded, the instructions are shown) and moves
   * subscriptions with an invoice unpaid past MARKETPLACE_PAYMENT_GRACE_DAYS to PAST_DUE.
   */
  async runPaymentsPass(now = new Date()): Promise<{ collected: number; failed: number; pastDue: string[] }> {
    let collected = 0;
    let failed = 0;
    for (const invoice of await this.repository.uncollected(COLLECT_BATCH)) {
      try {
        await this.collect(invoice, now);
        collected++;
      } catch (err) {
        // Left uncollected: the next pass retries with the same idempotency key.
        failed++;
        this.logger.warn(`invoice ${invoice.number ?? invoice.id} could not be handed to ${this.provider.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const pastDue = await this.repository.markOverdue(this.overdueBefore(now));
    for (const id of pastDue) await this.records.publish(id);
    return { collected, failed, pastDue };
  }

  private async collect(invoice: PayableInvoice | Awaited<ReturnType<PaymentsRepository['uncollected']>>[number], now: Date): Promise<void> {
    if (invoice.totalMicros === 0n) {
      // Nothing is owed (a free plan's period): settled at once, so it never makes the subscription past due.
      await this.repository.transaction((tx) => this.repository.markPaid(invoice, { provider: 'manual', reference: 'nothing due', at: now, overdueBefore: this.overdueBefore(now) }, tx));
      return;
    }
    if (this.provider.name === 'manual') {
      await this.provider.collect({ invoiceId: invoice.id, invoiceNumber: invoice.number ?? invoice.id, totalMicros: invoice.totalMicros, currency: invoice.currency, customerId: null });
      await this.repository.recordCollection(invoice, 'manual', null);
      return;
    }
    const existing = await this.repository.stripeCustomerOf(invoice.consumerOrganizationId);
    const customerId = await this.provider.ensureCustomer({
      organizationId: invoice.consumerOrganizationId,
      organizationName: await this.repository.organizationName(invoice.consumerOrganizationId),
      existingCustomerId: existing,
    });
    if (customerId && customerId !== existing) await this.repository.saveStripeCustomer(invoice.consumerOrganizationId, customerId);
    const result = await this.provider.collect({ invoiceId: invoice.id, invoiceNumber: invoice.number ?? invoice.id, totalMicros: invoice.totalMicros, currency: invoice.currency, customerId });
    await this.repository.recordCollection(invoice, this.provider.name, result.kind === 'pending' ? result.reference : null);
  }

  private overdueBefore(now: Date): Date {
    return new Date(now.getTime() - this.config.MARKETPLACE_PAYMENT_GRACE_DAYS * DAY_MS);
  }

  private async found(lookup: Promise<PayableInvoice | null>): Promise<PayableInvoice> {
    const invoice = await lookup;
    if (!invoice) throw new AppError('NOT_FOUND', 'No such invoice.');
    return invoice;
  }

  private view(invoice: PayableInvoice): InvoicePaymentDto {
    const provider = (invoice.paymentProvider ?? this.provider.name) as PaymentProviderName;
    const finalized = invoice.status === 'FINALIZED';
    return {
      invoiceId: invoice.id,
      number: invoice.number,
      status: invoice.status,
      totalMicros: Number(invoice.totalMicros),
      provider,
      instructions: finalized && provider === 'manual' ? `${this.config.MARKETPLACE_BANK_TRANSFER_INSTRUCTIONS} Reference: ${invoice.number ?? invoice.id}.` : null,
      reference: invoice.paymentReference,
      dueAt: invoice.finalizedAt ? new Date(invoice.finalizedAt.getTime() + this.config.MARKETPLACE_PAYMENT_GRACE_DAYS * DAY_MS).toISOString() : null,
      paidAt: invoice.paidAt?.toISOString() ?? null,
      subscriptionStatus: invoice.subscriptionStatus,
    };
  }
}

function refuseUnpayable(invoice: PayableInvoice): void {
  if (invoice.status === 'PAID') throw new AppError('INVOICE_ALREADY_PAID', `Invoice ${invoice.number ?? invoice.id} was paid on ${invoice.paidAt?.toISOString() ?? 'an earlier date'} (reference ${invoice.paymentReference ?? 'none'}).`);
  if (invoice.status !== 'FINALIZED') throw new AppError('INVOICE_NOT_PAYABLE', `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}.`);
}
