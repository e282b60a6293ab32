import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import type { OrgActor } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { PAYMENT_PROVIDER, type PaymentProvider, type TransferInput } from '@slipway/payments';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { BillingPaymentsModule } from '../billing-payments.module';
import { seedInvoice, seedMarket, type MarketTenant } from '../testing/marketplace-rows.int-support';
import { PayoutsService } from './payouts.service';

const transfers: TransferInput[] = [];
/** A provider at the port whose Connect switch the tests flip (the Stripe adapter is tested on fixtures in @slipway/payments). */
const provider: { -readonly [K in keyof PaymentProvider]: PaymentProvider[K] } = {
  name: 'manual',
  transfersPayouts: false,
  ensureCustomer: async () => null,
  collect: async () => ({ kind: 'instructions', instructions: '' }),
  transferPayout: async (payout) => {
    transfers.push(payout);
    return { reference: `tr_${transfers.length}` };
  },
};

@Global()
@Module({ providers: [{ provide: PAYMENT_PROVIDER, useValue: provider }], exports: [PAYMENT_PROVIDER] })
class TestProviderModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let payouts: PayoutsService;
let a: MarketTenant;
let a2: MarketTenant;
let b: MarketTenant;
const actorOf = (organizationId: string): OrgActor => ({ userId: 'u1', email: 'ada@example.test', ip: null, organizationId, organizationSlug: 'x', role: 'ADMIN' });
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
/** Invoice periods do not matter to statements (payments count in the month they are recorded); each invoice of a subscription needs its own. */
let periods = 0;
const period = () => ({ periodStart: new Date(Date.UTC(2026, 0, 1 + periods++)), periodEnd: new Date('2026-11-01T00:00:00Z') });
const line = (amountMicros: bigint) => [{ kind: 'per_call', description: 'Calls', quantity: 1n, unitPriceMicros: amountMicros, amountMicros }];

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, AuditModule, TestProviderModule, BillingPaymentsModule], { MARKETPLACE_PLATFORM_FEE_BPS: 500 });
  prisma = ctx.app.get(PrismaService);
  payouts = ctx.app.get(PayoutsService);
  a = await seedMarket(prisma);
  // A second listing of the same publisher: one statement covers all its listings.
  a2 = await seedMarket(prisma, { publisherId: a.publisherId });
  b = await seedMarket(prisma);
  // Publisher A, paid in November: $10.000 001 + $5.5 (+ 20 % tax = $6.6) + $3.333 333 on its second listing.
  await seedInvoice(prisma, a, { status: 'PAID', ...period(), lines: line(10_000_001n), paidAt: new Date('2026-11-03T10:00:00Z') });
  const taxed = await seedInvoice(prisma, a, { status: 'PAID', ...period(), lines: line(5_500_000n), taxRateBps: 2000, paidAt: new Date('2026-11-30T23:59:59.999Z') });
  await seedInvoice(prisma, a2, { status: 'PAID', ...period(), lines: line(3_333_333n), paidAt: new Date('2026-11-15T00:00:00Z') });
  // Not November: paid in December, and finalized but unpaid.
  await seedInvoice(prisma, a, { status: 'PAID', ...period(), lines: line(7_000_000n), paidAt: new Date('2026-12-01T00:00:00Z') });
  await seedInvoice(prisma, a, { status: 'FINALIZED', ...period(), lines: line(9_000_000n) });
  // A $1.25 credit note issued in November on A's taxed invoice.
  await prisma.apiCreditNote.create({ data: { invoiceId: taxed.id, amountMicros: 1_250_000n, reason: 'outage', createdAt: new Date('2026-11-20T00:00:00Z') } });
  // Publisher B: $1 paid in November.
  await seedInvoice(prisma, b, { status: 'PAID', ...period(), lines: line(1_000_000n), paidAt: new Date('2026-11-10T00:00:00Z') });
});
afterAll(() => ctx?.close());

describe('payout statements', () => {
  it('waits until the month has ended and settled, then makes one statement per publisher, exact to the micro-USD', async () => {
    expect(await payouts.createStatements(new Date('2026-11-30T23:00:00Z'))).toBe(0);
    expect(await payouts.createStatements(new Date('2026-12-01T00:05:00Z'))).toBe(0);
    expect(await payouts.createStatements(new Date('2026-12-01T00:11:00Z'))).toBe(2);
    const [nov] = await payouts.list({ organizationId: a.publisherId });
    // gross = 10.000001 + 6.6 + 3.333333 = 19.933334; credits 1.25; fee 5 % of 18.683334 = 0.9341667 → 0.934167 (half up).
    expect(nov).toMatchObject({
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-12-01T00:00:00.000Z',
      invoiceCount: 3,
      grossMicros: 19_933_334,
      creditNotesMicros: 1_250_000,
      feeMicros: 934_167,
      netMicros: 17_749_167,
      status: 'PENDING',
    });
    expect(nov!.grossMicros - nov!.creditNotesMicros - nov!.feeMicros).toBe(nov!.netMicros);
    const fee = await prisma.apiLedgerEntry.findMany({ where: { payoutId: nov!.id } });
    expect(fee.map((e) => [e.kind, e.amountMicros, e.organizationId])).toEqual([['PLATFORM_FEE', -934_167n, a.publisherId]]);
    // Run again (another worker, a retry): nothing new, no second fee.
    expect(await payouts.createStatements(new Date('2026-12-01T01:00:00Z'))).toBe(0);
    expect(await prisma.apiLedgerEntry.count({ where: { organizationId: a.publisherId, kind: 'PLATFORM_FEE' } })).toBe(1);
  });

  it("lists only the caller's statements; another organization's statement is a 404", async () => {
    const mine = await payouts.list({ organizationId: a.publisherId });
    const theirs = await payouts.list({ organizationId: b.publisherId });
    expect(mine).toHaveLength(1);
    expect(theirs.map((p) => p.grossMicros)).toEqual([1_000_000]);
    expect(await codeOf(payouts.get({ organizationId: a.publisherId }, theirs[0]!.id))).toBe('NOT_FOUND');
    expect(await codeOf(payouts.markPaid(actorOf(a.publisherId), theirs[0]!.id, { reference: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(payouts.get({ organizationId: a.consumerId }, mine[0]!.id))).toBe('NOT_FOUND');
  });

  it('is marked paid by hand once, with a PAYOUT ledger entry', async () => {
    const [nov] = await payouts.list({ organizationId: b.publisherId });
    const paid = await payouts.markPaid(actorOf(b.publisherId), nov!.id, { reference: 'WIRE-77' });
    expect(paid).toMatchObject({ status: 'PAID', provider: 'manual', providerReference: 'WIRE-77' });
    expect(await codeOf(payouts.markPaid(actorOf(b.publisherId), nov!.id, { reference: 'again' }))).toBe('PAYOUT_ALREADY_PAID');
    const entries = await prisma.apiLedgerEntry.findMany({ where: { payoutId: nov!.id }, orderBy: { kind: 'asc' } });
    expect(entries.map((e) => [e.kind, e.amountMicros])).toEqual([['PLATFORM_FEE', -50_000n], ['PAYOUT', -950_000n]]);
  });

  it('is transferred by Stripe Connect only when enabled and an account is set', async () => {
    const [nov] = await payouts.list({ organizationId: a.publisherId });
    expect(await codeOf(payouts.transfer(actorOf(a.publisherId), nov!.id))).toBe('PAYOUT_TRANSFERS_DISABLED');
    Object.assign(provider, { name: 'stripe', transfersPayouts: true });
    try {
      expect(await codeOf(payouts.transfer(actorOf(a.publisherId), nov!.id))).toBe('PAYOUT_ACCOUNT_MISSING');
      expect(await payouts.setAccount(actorOf(a.publisherId), { stripeConnectAccountId: 'acct_1QxYzAbCdEfGhIjK' })).toEqual({ provider: 'stripe', transfersEnabled: true, stripeConnectAccountId: 'acct_1QxYzAbCdEfGhIjK' });
      const paid = await payouts.transfer(actorOf(a.publisherId), nov!.id);
      expect(paid).toMatchObject({ status: 'PAID', provider: 'stripe', providerReference: 'tr_1' });
      expect(transfers).toEqual([{ payoutId: nov!.id, netMicros: 17_749_167n, currency: 'USD', destinationAccountId: 'acct_1QxYzAbCdEfGhIjK' }]);
      expect(await codeOf(payouts.transfer(actorOf(a.publisherId), nov!.id))).toBe('PAYOUT_ALREADY_PAID');
      expect(transfers).toHaveLength(1);
    } finally {
      Object.assign(provider, { name: 'manual', transfersPayouts: false });
    }
  });

  it('refuses to pay a statement whose credit notes reach its gross', async () => {
    const t = await seedMarket(prisma);
    const inv = await seedInvoice(prisma, t, { status: 'PAID', ...period(), lines: line(1_000_000n), paidAt: new Date('2026-10-05T00:00:00Z') });
    await prisma.apiCreditNote.create({ data: { invoiceId: inv.id, amountMicros: 1_000_000n, reason: 'refund', createdAt: new Date('2026-10-06T00:00:00Z') } });
    await payouts.createStatements(new Date('2026-12-02T00:00:00Z'));
    const [oct] = await payouts.list({ organizationId: t.publisherId });
    expect(oct).toMatchObject({ grossMicros: 1_000_000, creditNotesMicros: 1_000_000, feeMicros: 0, netMicros: 0 });
    expect(await codeOf(payouts.markPaid(actorOf(t.publisherId), oct!.id, { reference: 'x' }))).toBe('PAYOUT_NOT_PAYABLE');
  });
});
