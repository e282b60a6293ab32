import Stripe from 'stripe';
import { centsFromMicros, type CollectInput, type CollectResult, type CustomerInput, type PaymentProvider, type TransferInput } from '../payment-provider';

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string | null;
  connectEnabled: boolean;
  /** Where the SDK sends requests; tests point it at a loopback fixture server. Default api.stripe.com. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Network retries of the SDK (each request carries an idempotency key, so a retry never charges twice). */
  maxNetworkRetries?: number;
}

/** A verified provider event, reduced to what billing acts on. */
export type PaymentEvent =
  | { kind: 'payment_succeeded'; eventId: string; invoiceId: string | null; amountCents: number; currency: string; reference: string }
  | { kind: 'ignored'; eventId: string; type: string };

export class WebhookSignatureError extends Error {}

/**
 * The optional Stripe adapter (STRIPE_SECRET_KEY). A finalized invoice is collected by one
 * PaymentIntent, not a Stripe Invoice: Slipway already rated, taxed and numbered the invoice,
 * and a Stripe Invoice would recompute its own lines and totals — two records that could
 * disagree. The PaymentIntent carries the total in cents and the invoice id in its metadata;
 * its `payment_intent.succeeded` webhook is what marks the invoice paid. Payouts are Connect
 * transfers to the publisher's connected account. Every create carries an idempotency key
 * derived from Slipway's row id, so a retried job never charges or pays twice.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly transfersPayouts: boolean;
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeProviderOptions) {
    this.transfersPayouts = options.connectEnabled;
    this.stripe = new Stripe(options.secretKey, {
      host: options.host,
      port: options.port,
      protocol: options.protocol,
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: 20_000,
      telemetry: false,
    });
  }

  async ensureCustomer(input: CustomerInput): Promise<string | null> {
    if (input.existingCustomerId) return input.existingCustomerId;
    const customer = await this.stripe.customers.create(
      { name: input.organizationName, metadata: { slipway_organization_id: input.organizationId } },
      { idempotencyKey: `customer:${input.organizationId}` },
    );
    return customer.id;
  }

  async collect(invoice: CollectInput): Promise<CollectResult> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: centsFromMicros(invoice.totalMicros),
        currency: invoice.currency.toLowerCase(),
        ...(invoice.customerId ? { customer: invoice.customerId } : {}),
        description: `Invoice ${invoice.invoiceNumber}`,
        automatic_payment_methods: { enabled: true },
        metadata: { slipway_invoice_id: invoice.invoiceId, slipway_invoice_number: invoice.invoiceNumber },
      },
      { idempotencyKey: `invoice:${invoice.invoiceId}:collect` },
    );
    return { kind: 'pending', reference: intent.id, clientSecret: intent.client_secret };
  }

  async transferPayout(payout: TransferInput): Promise<{ reference: string }> {
    if (!this.transfersPayouts) throw new Error('Stripe Connect is not enabled (STRIPE_CONNECT_ENABLED).');
    const transfer = await this.stripe.transfers.create(
      {
        amount: centsFromMicros(payout.netMicros),
        currency: payout.currency.toLowerCase(),
        destination: payout.destinationAccountId,
        transfer_group: `payout_${payout.payoutId}`,
        metadata: { slipway_payout_id: payout.payoutId },
      },
      { idempotencyKey: `payout:${payout.payoutId}:transfer` },
    );
    return { reference: transfer.id };
  }

  /** A valid `Stripe-Signature` for a payload (what Stripe would send): for tests of the webhook route, made by the SDK itself. */
  static testSignature(payload: string, secret: string): string {
    return new Stripe('sk_test_signature_only').webhooks.generateTestHeaderString({ payload, secret });
  }

  /** Verifies `Stripe-Signature` over the raw body (timestamp tolerance 5 min) and reduces the event. */
  parseWebhook(rawBody: Buffer | string, signature: string | undefined): PaymentEvent {
    if (!this.options.webhookSecret) throw new WebhookSignatureError('STRIPE_WEBHOOK_SECRET is not set: webhooks cannot be verified.');
    if (!signature) throw new WebhookSignatureError('The Stripe-Signature header is missing.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.options.webhookSecret);
    } catch (err) {
      throw new WebhookSignatureError(err instanceof Error ? err.message : 'The signature does not verify.');
    }
    if (event.type !== 'payment_intent.succeeded') return { kind: 'ignored', eventId: event.id, type: event.type };
    const intent = event.data.object;
    return {
      kind: 'payment_succeeded',
      eventId: event.id,
      invoiceId: intent.metadata?.['slipway_invoice_id'] ?? null,
      amountCents: intent.amount_received,
      currency: intent.currency,
      reference: intent.id,
    };
  }
}
