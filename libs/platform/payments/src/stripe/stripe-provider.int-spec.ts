import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, startStripeFixtureServer, type RecordedRequest } from './fixture-server.int-support';
import { StripePaymentProvider, WebhookSignatureError } from './stripe-provider';

const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';
const customerFixture = loadFixture('customer-create');
const intentFixture = loadFixture('payment-intent-create');
const transferFixture = loadFixture('transfer-create');
const eventPayload = readFileSync(join(__dirname, 'fixtures', 'event-payment-intent-succeeded.json'), 'utf8');

describe('Stripe adapter against recorded fixtures (loopback, no network)', () => {
  let server: Awaited<ReturnType<typeof startStripeFixtureServer>>;
  let stripe: StripePaymentProvider;
  const last = (): RecordedRequest => server.requests.at(-1)!;

  beforeAll(async () => {
    server = await startStripeFixtureServer([customerFixture, intentFixture, transferFixture]);
    stripe = new StripePaymentProvider({ secretKey: 'sk_test_fixture', webhookSecret: WEBHOOK_SECRET, connectEnabled: true, host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 });
  });
  afterAll(() => server.close());

  it('creates the customer once, keyed by the organization', async () => {
    const id = await stripe.ensureCustomer({ organizationId: '0193a1b2-0000-7000-8000-00000000c0de', organizationName: 'Globex Consumers', existingCustomerId: null });
    expect(id).toBe('cus_RcM4sT6vWqZ1aB');
    expect(last().headers['idempotency-key']).toBe('customer:0193a1b2-0000-7000-8000-00000000c0de');
    expect(last().form).toEqual(customerFixture.request.form);
    expect(last().headers.authorization).toBe('Bearer sk_test_fixture');
    // A stored customer is reused without a call.
    const before = server.requests.length;
    expect(await stripe.ensureCustomer({ organizationId: 'x', organizationName: 'x', existingCustomerId: 'cus_known' })).toBe('cus_known');
    expect(server.requests.length).toBe(before);
  });

  it('collects a finalized invoice with one PaymentIntent in cents (half up), idempotent per invoice', async () => {
    const result = await stripe.collect({
      invoiceId: '0193a1b2-0000-7000-8000-0000000001a1',
      invoiceNumber: 'acme-000042',
      // $12.345 000 → 1235 cents (half up).
      totalMicros: 12_345_000n,
      currency: 'USD',
      customerId: 'cus_RcM4sT6vWqZ1aB',
    });
    expect(result).toEqual({ kind: 'pending', reference: 'pi_3QxYz2LkdIwHu7ix0Ab1Cd2E', clientSecret: 'pi_3QxYz2LkdIwHu7ix0Ab1Cd2E_secret_9fKq3LmN0pQrStUvWxYz' });
    expect(last()).toMatchObject({ method: 'POST', path: '/v1/payment_intents' });
    expect(last().form).toEqual(intentFixture.request.form);
    expect(last().form.amount).toBe('1235');
    expect(last().headers['idempotency-key']).toBe('invoice:0193a1b2-0000-7000-8000-0000000001a1:collect');
  });

  it('pays a payout statement by a Connect transfer to the connected account', async () => {
    const { reference } = await stripe.transferPayout({ payoutId: '0193a1b2-0000-7000-8000-0000000000f1', netMicros: 94_049_999n, currency: 'USD', destinationAccountId: 'acct_1QxYzAbCdEfGhIjK' });
    expect(reference).toBe('tr_1QxYzBLkdIwHu7ixKlMnOpQr');
    expect(last().form).toEqual(transferFixture.request.form);
    expect(last().form.destination).toBe('acct_1QxYzAbCdEfGhIjK');
    expect(last().headers['idempotency-key']).toBe('payout:0193a1b2-0000-7000-8000-0000000000f1:transfer');
  });

  it('surfaces a Stripe error answer as an error (nothing is assumed paid)', async () => {
    await expect(
      stripe.collect({ invoiceId: 'unrecorded', invoiceNumber: 'x-1', totalMicros: 1n, currency: 'USD', customerId: null }),
    ).rejects.toThrow(/No fixture/);
  });

  it('refuses transfers while Connect is off', async () => {
    const noConnect = new StripePaymentProvider({ secretKey: 'sk_test_fixture', webhookSecret: null, connectEnabled: false, host: '127.0.0.1', port: server.port, protocol: 'http' });
    expect(noConnect.transfersPayouts).toBe(false);
    await expect(noConnect.transferPayout({ payoutId: 'p', netMicros: 1n, currency: 'USD', destinationAccountId: 'acct_x' })).rejects.toThrow(/STRIPE_CONNECT_ENABLED/);
  });

  describe('webhooks', () => {
    it('reads a payment_intent.succeeded whose signature verifies', () => {
      const signature = StripePaymentProvider.testSignature(eventPayload, WEBHOOK_SECRET);
      expect(stripe.parseWebhook(Buffer.from(eventPayload), signature)).toEqual({
        kind: 'payment_succeeded',
        eventId: 'evt_3QxYz2LkdIwHu7ix0K9pQrSt',
        invoiceId: '0193a1b2-0000-7000-8000-0000000001a1',
        amountCents: 1235,
        currency: 'usd',
        reference: 'pi_3QxYz2LkdIwHu7ix0Ab1Cd2E',
      });
    });

    it('refuses a bad signature, another secret, a missing header and a changed body', () => {
      const signature = StripePaymentProvider.testSignature(eventPayload, WEBHOOK_SECRET);
      expect(() => stripe.parseWebhook(eventPayload, 't=1,v1=deadbeef')).toThrow(WebhookSignatureError);
      expect(() => stripe.parseWebhook(eventPayload, StripePaymentProvider.testSignature(eventPayload, 'whsec_other'))).toThrow(WebhookSignatureError);
      expect(() => stripe.parseWebhook(eventPayload, undefined)).toThrow(/missing/);
      expect(() => stripe.parseWebhook(eventPayload.replace('1235', '9999'), signature)).toThrow(WebhookSignatureError);
    });

    it('ignores event types billing does not act on', () => {
      const other = JSON.stringify({ ...JSON.parse(eventPayload), id: 'evt_other', type: 'customer.created' });
      expect(stripe.parseWebhook(other, StripePaymentProvider.testSignature(other, WEBHOOK_SECRET))).toEqual({ kind: 'ignored', eventId: 'evt_other', type: 'customer.created' });
    });
  });
});
