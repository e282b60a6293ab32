import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService, type ApiInvoice } from '@slipway/db';
import { StripePaymentProvider } from '@slipway/payments';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/**
 * Payments, exports and analytics of published APIs through the real api (Fastify, guard,
 * contracts, problem+json), with Stripe configured so its webhook route is live: nothing calls
 * Stripe here (no invoice is collected), the webhook is signed with the SDK's test helper.
 */
const WEBHOOK_SECRET = 'whsec_apitest0123456789';
let h: GatewayHarness;
let consumer: HarnessUser;
let consumerOrg: string;
let prisma: PrismaService;
let slug: string;
let invoice: ApiInvoice;
let stripeInvoice: ApiInvoice;

async function seedInvoice(sub: { id: string; listingId: string; consumerOrganizationId: string; publisherOrganizationId: string }, periodStart: Date, amount: bigint): Promise<ApiInvoice> {
  return prisma.apiInvoice.create({
    data: {
      number: `inv-${randomBytes(3).toString('hex')}`,
      subscriptionId: sub.id,
      listingId: sub.listingId,
      consumerOrganizationId: sub.consumerOrganizationId,
      publisherOrganizationId: sub.publisherOrganizationId,
      periodStart,
      periodEnd: new Date(periodStart.getTime() + 30 * 86_400_000),
      status: 'FINALIZED',
      finalizedAt: new Date(),
      subtotalMicros: amount,
      totalMicros: amount,
      lines: { create: [{ position: 1, kind: 'per_call', description: 'Calls', quantity: amount / 1000n, unitPriceMicros: 1000n, amountMicros: amount }] },
    },
  });
}

beforeAll(async () => {
  h = await startGatewayHarness({ config: { STRIPE_SECRET_KEY: 'sk_test_apitest', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  prisma = h.app.get(PrismaService);
  consumer = new HarnessUser(h.url);
  const signup = await consumer.call('POST', '/api/v1/auth/signup', { name: 'Consumer', email: `c-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple' });
  consumerOrg = signup.body.organizations[0].slug;
  const publisher = await prisma.organization.findUniqueOrThrow({ where: { slug: h.org } });
  const consumerRow = await prisma.organization.findUniqueOrThrow({ where: { slug: consumerOrg } });
  const env = await prisma.environment.findFirstOrThrow({ where: { organizationId: publisher.id } });
  slug = `weather-${randomBytes(3).toString('hex')}`;
  const listing = await prisma.apiListing.create({
    data: { organizationId: publisher.id, projectId: env.projectId, environmentId: env.id, slug, name: 'Weather', summary: 'Forecasts', category: 'data', visibility: 'PUBLIC', status: 'PUBLISHED', operations: [], sealedEdgeSecret: 'v1.test' },
  });
  const plan = await prisma.apiPlan.create({ data: { listingId: listing.id, slug: 'pro', name: 'Pro' } });
  const version = await prisma.apiPlanVersion.create({ data: { planId: plan.id, version: 1, pricing: { kind: 'per_call', unitPriceMicros: 1000 }, limits: {} } });
  const sub = await prisma.apiSubscription.create({
    data: { listingId: listing.id, planId: plan.id, planVersionId: version.id, consumerOrganizationId: consumerRow.id, publisherOrganizationId: publisher.id, currentPeriodStart: new Date('2026-12-01T00:00:00Z'), currentPeriodEnd: new Date('2027-01-01T00:00:00Z') },
  });
  invoice = await seedInvoice(sub, new Date('2026-10-01T00:00:00Z'), 2_500_000n);
  stripeInvoice = await seedInvoice(sub, new Date('2026-11-01T00:00:00Z'), 12_345_000n);
});
afterAll(() => h?.close());

const pub = (path: string) => `/api/v1/orgs/${h.org}/apis/${slug}/invoices/${path}`;

describe('invoice payment over HTTP', () => {
  it('lets a publisher ADMIN mark a finalized invoice paid, once', async () => {
    const bad = await h.owner.call('POST', pub(`${invoice.id}/mark-paid`), { reference: '' });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const paid = await h.owner.call('POST', pub(`${invoice.id}/mark-paid`), { reference: 'SEPA-1' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'PAID', reference: 'SEPA-1', totalMicros: 2_500_000 });
    const again = await h.owner.call('POST', pub(`${invoice.id}/mark-paid`), { reference: 'SEPA-1' });
    expect([again.status, again.body.code]).toEqual([409, 'INVOICE_ALREADY_PAID']);
    const seen = await consumer.call('GET', `/api/v1/orgs/${consumerOrg}/invoices/${invoice.id}/payment`);
    expect(seen.body).toMatchObject({ status: 'PAID', reference: 'SEPA-1' });
  });

  it("answers 404 to another organization, whichever path it tries", async () => {
    // The consumer is not a member of the publisher's organization.
    expect((await consumer.call('POST', pub(`${stripeInvoice.id}/mark-paid`), { reference: 'x' })).status).toBe(404);
    // In its own organization, the listing slug is not one of its listings.
    expect((await consumer.call('POST', `/api/v1/orgs/${consumerOrg}/apis/${slug}/invoices/${stripeInvoice.id}/mark-paid`, { reference: 'x' })).status).toBe(404);
    expect((await consumer.download(`/api/v1/orgs/${consumerOrg}/apis/${slug}/invoices/${stripeInvoice.id}/pdf`)).status).toBe(404);
    // The publisher is not the consumer of its own invoice.
    expect((await h.owner.call('GET', `/api/v1/orgs/${h.org}/invoices/${stripeInvoice.id}/payment`)).status).toBe(404);
    expect((await prisma.apiInvoice.findUniqueOrThrow({ where: { id: stripeInvoice.id } })).status).toBe('FINALIZED');
  });
});

describe('the Stripe webhook', () => {
  const event = (invoiceId: string, cents: number, id = `evt_${randomUUID()}`) =>
    JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', created: 1765128300, livemode: false, data: { object: { id: 'pi_api_1', object: 'payment_intent', amount: cents, amount_received: cents, currency: 'usd', metadata: { slipway_invoice_id: invoiceId } } } }, null, 2);
  const post = (payload: string, signature: string) => fetch(`${h.url}/api/v1/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });

  it('refuses a bad signature and an unknown invoice, and marks a matching payment paid', async () => {
    const good = event(stripeInvoice.id, 1235);
    const forged = await post(good, StripePaymentProvider.testSignature(good, 'whsec_wrong'));
    expect([forged.status, (await forged.json()).code]).toEqual([400, 'WEBHOOK_SIGNATURE_INVALID']);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    const unknown = event('no-such-invoice', 1235);
    const refused = await post(unknown, StripePaymentProvider.testSignature(unknown, WEBHOOK_SECRET));
    expect([refused.status, (await refused.json()).code]).toEqual([422, 'PAYMENT_EVENT_REFUSED']);
    expect((await prisma.apiInvoice.findUniqueOrThrow({ where: { id: stripeInvoice.id } })).status).toBe('FINALIZED');

    const ok = await post(good, StripePaymentProvider.testSignature(good, WEBHOOK_SECRET));
    expect([ok.status, await ok.json()]).toEqual([200, { received: true, outcome: 'applied' }]);
    const again = await post(good, StripePaymentProvider.testSignature(good, WEBHOOK_SECRET));
    expect(await again.json()).toEqual({ received: true, outcome: 'duplicate' });
    const paid = await prisma.apiInvoice.findUniqueOrThrow({ where: { id: stripeInvoice.id } });
    expect([paid.status, paid.paymentReference]).toEqual(['PAID', 'pi_api_1']);
  });
});

describe('exports and analytics over HTTP', () => {
  it('downloads the invoice as PDF and CSV with their content types and file names', async () => {
    const pdf = await h.owner.download(pub(`${invoice.id}/pdf`));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="${invoice.number}.pdf"`);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const csv = await consumer.download(`/api/v1/orgs/${consumerOrg}/invoices/${invoice.id}/csv`);
    expect([csv.status, csv.headers.get('content-type'), csv.headers.get('content-disposition')]).toEqual([200, 'text/csv; charset=utf-8', `attachment; filename="${invoice.number}.csv"`]);
    expect((await csv.text()).split('\r\n')[1]).toBe('1,per_call,Calls,2500,0.001000,2.500000,,');
    const line = await prisma.apiInvoiceLine.findFirstOrThrow({ where: { invoiceId: invoice.id } });
    const events = await h.owner.download(pub(`${invoice.id}/lines/${line.id}/events.csv`));
    expect([events.status, events.headers.get('content-type'), events.headers.get('content-disposition')]).toEqual([200, 'text/csv; charset=utf-8', `attachment; filename="${invoice.number}-line-1-events.csv"`]);
    expect(await events.text()).toBe('id,time,operation,method,status,weight,duration_ms,key_id,live,late_for_invoice_id\r\n');
    expect((await h.owner.download(pub(`${invoice.id}/lines/no-such-line/events.csv`))).status).toBe(404);
  });

  it('answers the analytics, revenue, payouts and observability revenue routes', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const analytics = await h.owner.call('GET', `/api/v1/orgs/${h.org}/apis/${slug}/analytics?from=${encodeURIComponent(from)}&points=10`);
    expect(analytics.status).toBe(200);
    expect(analytics.body.time).toHaveLength(analytics.body.series.calls.length);
    const revenue = await h.owner.call('GET', `/api/v1/orgs/${h.org}/revenue?from=2026-09-01T00:00:00Z`);
    expect(revenue.status).toBe(200);
    expect(revenue.body.totals.paidMicros).toBe(2_500_000 + 12_345_000);
    const env = await h.owner.call('GET', `/api/v1/orgs/${h.org}/projects/${h.project}/environments/${h.environment}/api-revenue?from=${encodeURIComponent(from)}&points=10`);
    expect(env.status).toBe(200);
    expect((await h.owner.call('GET', `/api/v1/orgs/${h.org}/payouts`)).body).toEqual([]);
    const bad = await h.owner.call('GET', `/api/v1/orgs/${h.org}/apis/${slug}/analytics?from=yesterday`);
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await consumer.call('GET', `/api/v1/orgs/${consumerOrg}/apis/${slug}/analytics?from=${encodeURIComponent(from)}`)).status).toBe(404);
  });
});
