import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import type { OrgActor } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { PAYMENT_PROVIDER, type CollectInput, type PaymentProvider } from '@slipway/payments';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { BillingPaymentsModule } from '../billing-payments.module';
import { seedInvoice, seedMarket, type MarketTenant } from '../testing/marketplace-rows.int-support';
import { PaymentsService } from './payments.service';
import { SUBSCRIPTION_RECORD_PUBLISHER } from '../periods/subscription-record-publisher';

/** Subscriptions whose edge record billing asked to rewrite. */
const republished: string[] = [];
/** Stands in for Stripe at the port (the adapter itself is tested on recorded fixtures in @slipway/payments). */
const collected: CollectInput[] = [];
const provider: PaymentProvider & { name: 'manual' | 'stripe' } = {
  name: 'manual',
  transfersPayouts: false,
  ensureCustomer: async () => 'cus_test',
  collect: async (invoice) => {
    collected.push(invoice);
    return { kind: 'pending', reference: `pi_${invoice.invoiceId.slice(-6)}`, clientSecret: null };
  },
  transferPayout: async () => ({ reference: 'tr_x' }),
};

@Global()
@Module({ providers: [{ provide: PAYMENT_PROVIDER, useValue: provider }, { provide: SUBSCRIPTION_RECORD_PUBLISHER, useValue: { publish: async (id: string) => void republished.push(id) } }], exports: [PAYMENT_PROVIDER, SUBSCRIPTION_RECORD_PUBLISHER] })
class TestPortsModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let payments: PaymentsService;
let a: MarketTenant;
let b: MarketTenant;
const DAY = 86_400_000;
const actorOf = (organizationId: string, role: OrgActor['role'] = 'ADMIN'): OrgActor => ({ userId: 'u1', email: 'ada@example.test', ip: null, organizationId, organizationSlug: 'x', role });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
const statusOf = async (subscriptionId: string) => (await prisma.apiSubscription.findUniqueOrThrow({ where: { id: subscriptionId } })).status;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, AuditModule, TestPortsModule, BillingPaymentsModule], { MARKETPLACE_PAYMENT_GRACE_DAYS: 14 });
  prisma = ctx.app.get(PrismaService);
  payments = ctx.app.get(PaymentsService);
  [a, b] = [await seedMarket(prisma), await seedMarket(prisma)];
});
afterAll(() => ctx?.close());

describe('manual payments', () => {
  it('shows the consumer bank-transfer instructions naming the invoice, and when it is due', async () => {
    const finalizedAt = new Date('2026-12-01T01:00:00Z');
    const invoice = await seedInvoice(prisma, a, { status: 'FINALIZED', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), finalizedAt });
    const view = await payments.consumerPayment({ organizationId: a.consumerId }, invoice.id);
    expect(view).toMatchObject({ status: 'FINALIZED', provider: 'manual', totalMicros: 1_000_000, dueAt: new Date(finalizedAt.getTime() + 14 * DAY).toISOString(), paidAt: null, subscriptionStatus: 'ACTIVE' });
    expect(view.instructions).toContain(`Reference: ${invoice.number}.`);
  });

  it('marks a finalized invoice paid once: PAID, one INVOICE_PAID ledger entry, an audit entry; again → INVOICE_ALREADY_PAID', async () => {
    const invoice = await seedInvoice(prisma, a, { status: 'FINALIZED', periodStart: new Date('2026-10-01T00:00:00Z'), periodEnd: new Date('2026-11-01T00:00:00Z'), taxRateBps: 2000 });
    const view = await payments.markPaid(actorOf(a.publisherId), a.listingSlug, invoice.id, { reference: 'SEPA-2026-001' });
    expect(view).toMatchObject({ status: 'PAID', reference: 'SEPA-2026-001', instructions: null, totalMicros: 1_200_000 });
    expect(view.paidAt).not.toBeNull();
    const ledger = await prisma.apiLedgerEntry.findMany({ where: { invoiceId: invoice.id } });
    expect(ledger.map((l) => [l.kind, l.amountMicros, l.organizationId, l.idempotencyKey])).toEqual([['INVOICE_PAID', 1_200_000n, a.consumerId, `invoice:${invoice.id}:paid`]]);
    expect(await prisma.auditLog.count({ where: { organizationId: a.publisherId, action: 'billing.invoice_marked_paid' } })).toBeGreaterThan(0);
    expect(await codeOf(payments.markPaid(actorOf(a.publisherId), a.listingSlug, invoice.id, { reference: 'again' }))).toBe('INVOICE_ALREADY_PAID');
    expect(await prisma.apiLedgerEntry.count({ where: { invoiceId: invoice.id } })).toBe(1);
  });

  it('refuses a draft (still recomputed from usage) and a void invoice', async () => {
    const draft = await seedInvoice(prisma, a, { status: 'DRAFT', periodStart: new Date('2026-12-01T00:00:00Z'), periodEnd: new Date('2027-01-01T00:00:00Z') });
    expect(await codeOf(payments.markPaid(actorOf(a.publisherId), a.listingSlug, draft.id, { reference: 'r' }))).toBe('INVOICE_NOT_PAYABLE');
    const voided = await seedInvoice(prisma, a, { status: 'VOID', periodStart: new Date('2026-09-01T00:00:00Z'), periodEnd: new Date('2026-10-01T00:00:00Z') });
    expect(await codeOf(payments.markPaid(actorOf(a.publisherId), a.listingSlug, voided.id, { reference: 'r' }))).toBe('INVOICE_NOT_PAYABLE');
  });

  it("answers 404 for another organization's invoice, listing or role in it, and changes nothing", async () => {
    const invoice = await seedInvoice(prisma, a, { status: 'FINALIZED', periodStart: new Date('2026-08-01T00:00:00Z'), periodEnd: new Date('2026-09-01T00:00:00Z') });
    // Publisher B with its own listing slug, and with A's slug.
    expect(await codeOf(payments.markPaid(actorOf(b.publisherId), b.listingSlug, invoice.id, { reference: 'r' }))).toBe('NOT_FOUND');
    expect(await codeOf(payments.markPaid(actorOf(b.publisherId), a.listingSlug, invoice.id, { reference: 'r' }))).toBe('NOT_FOUND');
    // The consumer is not the publisher.
    expect(await codeOf(payments.markPaid(actorOf(a.consumerId), a.listingSlug, invoice.id, { reference: 'r' }))).toBe('NOT_FOUND');
    expect(await codeOf(payments.consumerPayment({ organizationId: b.consumerId }, invoice.id))).toBe('NOT_FOUND');
    expect(await codeOf(payments.publisherPayment({ organizationId: b.publisherId }, a.listingSlug, invoice.id))).toBe('NOT_FOUND');
    expect((await prisma.apiInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe('FINALIZED');
  });
});

describe('past due and back', () => {
  it('sets a subscription PAST_DUE once an invoice is unpaid past the grace, and ACTIVE again when every overdue invoice is paid', async () => {
    const t = await seedMarket(prisma);
    const now = new Date('2026-12-20T12:00:00Z');
    const old1 = await seedInvoice(prisma, t, { status: 'FINALIZED', periodStart: new Date('2026-10-01T00:00:00Z'), periodEnd: new Date('2026-11-01T00:00:00Z'), finalizedAt: new Date(now.getTime() - 40 * DAY) });
    const old2 = await seedInvoice(prisma, t, { status: 'FINALIZED', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), finalizedAt: new Date(now.getTime() - 15 * DAY) });
    // Within its grace: not overdue on its own.
    await seedInvoice(prisma, t, { status: 'FINALIZED', periodStart: new Date('2026-12-01T00:00:00Z'), periodEnd: new Date('2026-12-15T00:00:00Z'), finalizedAt: new Date(now.getTime() - 13 * DAY) });
    republished.length = 0;
    const pass = await payments.runPaymentsPass(now);
    expect(pass.pastDue).toContain(t.subscriptionId);
    expect(await statusOf(t.subscriptionId)).toBe('PAST_DUE');
    expect(republished).toContain(t.subscriptionId);
    expect((await payments.consumerPayment({ organizationId: t.consumerId }, old1.id)).subscriptionStatus).toBe('PAST_DUE');

    // One of two overdue invoices paid: still past due.
    await payments.markPaid(actorOf(t.publisherId), t.listingSlug, old1.id, { reference: 'late-1' }, now);
    expect(await statusOf(t.subscriptionId)).toBe('PAST_DUE');
    republished.length = 0;
    await payments.markPaid(actorOf(t.publisherId), t.listingSlug, old2.id, { reference: 'late-2' }, now);
    expect(await statusOf(t.subscriptionId)).toBe('ACTIVE');
    expect(republished).toEqual([t.subscriptionId]);
    // A second pass finds nothing overdue.
    expect((await payments.runPaymentsPass(now)).pastDue).not.toContain(t.subscriptionId);
  });

  it('never makes a free plan (a $0 invoice) or a fully credited invoice past due; a $0 invoice is settled at once', async () => {
    const t = await seedMarket(prisma);
    const finalizedAt = new Date('2026-10-01T00:00:00Z');
    const free = await seedInvoice(prisma, t, { status: 'FINALIZED', periodStart: new Date('2026-09-01T00:00:00Z'), periodEnd: finalizedAt, finalizedAt, lines: [{ kind: 'per_call', description: 'Free calls', quantity: 500n, unitPriceMicros: 0n, amountMicros: 0n }] });
    const credited = await seedInvoice(prisma, t, { status: 'FINALIZED', periodStart: new Date('2026-08-01T00:00:00Z'), periodEnd: finalizedAt, finalizedAt });
    await prisma.apiCreditNote.create({ data: { invoiceId: credited.id, amountMicros: credited.totalMicros, reason: 'outage' } });
    await payments.runPaymentsPass(new Date('2026-12-20T00:00:00Z'));
    expect(await statusOf(t.subscriptionId)).toBe('ACTIVE');
    const settled = await prisma.apiInvoice.findUniqueOrThrow({ where: { id: free.id } });
    expect([settled.status, settled.paymentReference]).toEqual(['PAID', 'nothing due']);
  });

  it('never revives a canceled subscription', async () => {
    const t = await seedMarket(prisma);
    await prisma.apiSubscription.update({ where: { id: t.subscriptionId }, data: { status: 'CANCELED', canceledAt: new Date() } });
    const inv = await seedInvoice(prisma, t, { status: 'FINALIZED', periodStart: new Date('2026-10-01T00:00:00Z'), periodEnd: new Date('2026-11-01T00:00:00Z'), finalizedAt: new Date('2026-11-01T00:00:00Z') });
    await payments.runPaymentsPass(new Date('2026-12-20T00:00:00Z'));
    expect(await statusOf(t.subscriptionId)).toBe('CANCELED');
    await payments.markPaid(actorOf(t.publisherId), t.listingSlug, inv.id, { reference: 'r' });
    expect(await statusOf(t.subscriptionId)).toBe('CANCELED');
  });
});

describe('provider events (Stripe webhooks, after signature verification)', () => {
  let invoice: Awaited<ReturnType<typeof seedInvoice>>;
  beforeAll(async () => {
    invoice = await seedInvoice(prisma, b, { status: 'FINALIZED', periodStart: new Date('2026-07-01T00:00:00Z'), periodEnd: new Date('2026-08-01T00:00:00Z'), lines: [{ kind: 'per_call', description: 'Calls', quantity: 12_345n, unitPriceMicros: 1_000n, amountMicros: 12_345_000n }] });
  });

  it('refuses an event for an unknown invoice and one whose amount differs, and stores why', async () => {
    expect(await codeOf(payments.applyProviderEvent({ kind: 'payment_succeeded', eventId: 'evt_unknown', invoiceId: 'no-such-invoice', amountCents: 100, currency: 'usd', reference: 'pi_1' }))).toBe('PAYMENT_EVENT_REFUSED');
    expect(await codeOf(payments.applyProviderEvent({ kind: 'payment_succeeded', eventId: 'evt_short', invoiceId: invoice.id, amountCents: 1234, currency: 'usd', reference: 'pi_2' }))).toBe('PAYMENT_EVENT_REFUSED');
    expect(await codeOf(payments.applyProviderEvent({ kind: 'payment_succeeded', eventId: 'evt_eur', invoiceId: invoice.id, amountCents: 1235, currency: 'eur', reference: 'pi_3' }))).toBe('PAYMENT_EVENT_REFUSED');
    const stored = await prisma.apiPaymentEvent.findMany({ where: { id: { in: ['evt_unknown', 'evt_short', 'evt_eur'] } }, orderBy: { id: 'asc' } });
    expect(stored.map((e) => e.outcome)).toEqual(['refused', 'refused', 'refused']);
    expect((await prisma.apiInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe('FINALIZED');
  });

  it('applies a matching payment once, even when the event is delivered again', async () => {
    // $12.345 → 1235 cents (half up).
    const event = { kind: 'payment_succeeded' as const, eventId: 'evt_ok', invoiceId: invoice.id, amountCents: 1235, currency: 'usd', reference: 'pi_ok' };
    expect(await payments.applyProviderEvent(event)).toBe('applied');
    expect(await payments.applyProviderEvent(event)).toBe('duplicate');
    const paid = await prisma.apiInvoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect([paid.status, paid.paymentReference]).toEqual(['PAID', 'pi_ok']);
    expect(await prisma.apiLedgerEntry.count({ where: { invoiceId: invoice.id, kind: 'INVOICE_PAID' } })).toBe(1);
    expect(await payments.applyProviderEvent({ kind: 'ignored', eventId: 'evt_other', type: 'customer.created' })).toBe('ignored');
  });
});

describe('collection of finalized invoices', () => {
  it('hands each finalized invoice to the provider once, with its total, and records the reference', async () => {
    const t = await seedMarket(prisma);
    const inv = await seedInvoice(prisma, t, { status: 'FINALIZED', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z') });
    (provider as { name: string }).name = 'stripe';
    try {
      collected.length = 0;
      await payments.runPaymentsPass(new Date('2026-12-02T00:00:00Z'));
      await payments.runPaymentsPass(new Date('2026-12-02T00:01:00Z'));
    } finally {
      (provider as { name: string }).name = 'manual';
    }
    expect(collected.filter((c) => c.invoiceId === inv.id)).toEqual([{ invoiceId: inv.id, invoiceNumber: inv.number, totalMicros: 1_000_000n, currency: 'USD', customerId: 'cus_test' }]);
    const stored = await prisma.apiInvoice.findUniqueOrThrow({ where: { id: inv.id } });
    expect([stored.paymentProvider, stored.paymentReference]).toEqual(['stripe', `pi_${inv.id.slice(-6)}`]);
    expect((await prisma.apiPaymentAccount.findUniqueOrThrow({ where: { organizationId: t.consumerId } })).stripeCustomerId).toBe('cus_test');
  });
});
