import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { DbModule, PrismaService } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { PaymentsModule } from '@slipway/payments';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { BillingPaymentsModule } from '../billing-payments.module';
import { seedEvents, seedInvoice, seedMarket, type MarketTenant } from '../testing/marketplace-rows.int-support';
import { AnalyticsService } from './analytics.service';

let ctx: DomainTestContext;
let prisma: PrismaService;
let analytics: AnalyticsService;
let a: MarketTenant;
let basic: MarketTenant;
let b: MarketTenant;
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
const percentile = (values: number[], q: number) => {
  const s = [...values].sort((x, y) => x - y);
  const rank = q * (s.length - 1);
  const lo = Math.floor(rank);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (rank - lo);
};
// A whole hour two hours ago: 10 points of 6 minutes.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600 - 7_200;
const at = (seconds: number) => new Date((T0 + seconds) * 1000);
const query = { from: at(0).toISOString(), to: at(3600).toISOString(), points: 10 };

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, AuditModule, PaymentsModule, BillingPaymentsModule], { MARKETPLACE_PLATFORM_FEE_BPS: 500 });
  prisma = ctx.app.get(PrismaService);
  analytics = ctx.app.get(AnalyticsService);
  a = await seedMarket(prisma, { planName: 'Pro' });
  b = await seedMarket(prisma);
  // A second consumer of A's listing on a Basic plan.
  const consumer2 = await prisma.organization.create({ data: { slug: `c2-${a.listingSlug}`, name: 'Second Consumer' } });
  const plan = await prisma.apiPlan.create({ data: { listingId: a.listingId, slug: 'basic', name: 'Basic' } });
  const version = await prisma.apiPlanVersion.create({ data: { planId: plan.id, version: 1, pricing: { kind: 'free' }, limits: {} } });
  const sub = await prisma.apiSubscription.create({ data: { listingId: a.listingId, planId: plan.id, planVersionId: version.id, consumerOrganizationId: consumer2.id, publisherOrganizationId: a.publisherId, currentPeriodStart: at(0), currentPeriodEnd: at(3600) } });
  basic = { ...a, consumerId: consumer2.id, planId: plan.id, planVersionId: version.id, subscriptionId: sub.id };

  await seedEvents(prisma, a, [10, 20, 30, 40].map((ms, i) => ({ time: at(i * 60), durationMs: ms })));
  await seedEvents(prisma, a, [{ time: at(3 * 360 + 5), durationMs: 500, status: 503 }, { time: at(3 * 360 + 6), durationMs: 7, live: false }]);
  await seedEvents(prisma, basic, [100, 200, 300, 400, 600].map((ms, i) => ({ time: at(3 * 360 + i), durationMs: ms, weight: 2 })));
  // Outside the range, and another publisher's events: never counted.
  await seedEvents(prisma, a, [{ time: at(3600), durationMs: 1 }, { time: at(-1), durationMs: 1 }]);
  await seedEvents(prisma, b, [{ time: at(10), durationMs: 9999 }]);

  const paid = await seedInvoice(prisma, a, { status: 'PAID', periodStart: at(0), periodEnd: at(3600), paidAt: at(3000) });
  await prisma.apiCreditNote.create({ data: { invoiceId: paid.id, amountMicros: 100_000n, reason: 'goodwill' } });
  await seedInvoice(prisma, basic, { status: 'DRAFT', periodStart: at(0), periodEnd: at(3600), lines: [{ kind: 'per_call', description: 'Calls', quantity: 5n, unitPriceMicros: 50_000n, amountMicros: 250_000n, usageFrom: at(0), usageTo: at(720) }] });
  // Void, and a period that ends before the range: not revenue.
  await seedInvoice(prisma, a, { status: 'VOID', periodStart: at(1), periodEnd: at(3600) });
  await seedInvoice(prisma, a, { status: 'PAID', periodStart: at(-7200), periodEnd: at(0), paidAt: at(-10) });
});
afterAll(() => ctx?.close());

describe('publisher analytics of one API', () => {
  it('counts calls, test calls and 5xx per slot, with p50/p95 from the events', async () => {
    const r = await analytics.listingAnalytics({ organizationId: a.publisherId }, a.listingSlug, query);
    expect(r.stepSeconds).toBe(360);
    expect(r.time[0]).toBe(T0);
    expect(r.series.calls).toEqual([4, 0, 0, 6, 0, 0, 0, 0, 0, 0]);
    expect(r.series.testCalls).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(r.series.errors).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(r.series.p50Ms[0]).toBeCloseTo(percentile([10, 20, 30, 40], 0.5));
    expect(r.series.p95Ms[0]).toBeCloseTo(percentile([10, 20, 30, 40], 0.95));
    expect(r.series.p95Ms[3]).toBeCloseTo(percentile([500, 7, 100, 200, 300, 400, 600], 0.95));
    expect(r.series.p50Ms[1]).toBeNull();
    const all = [10, 20, 30, 40, 500, 7, 100, 200, 300, 400, 600];
    expect(r.totals).toMatchObject({ calls: 10, testCalls: 1, errors: 1, units: 4 + 1 + 10 });
    expect(r.totals.p50Ms).toBeCloseTo(percentile(all, 0.5));
    expect(r.totals.p95Ms).toBeCloseTo(percentile(all, 0.95));
  });

  it('sums revenue by plan and by consumer from invoice lines (drafts so far, no void), top consumers by calls', async () => {
    const r = await analytics.listingAnalytics({ organizationId: a.publisherId }, a.listingSlug, query);
    expect(r.revenueByPlan).toEqual([
      { planId: a.planId, planName: 'Pro', amountMicros: 1_000_000 },
      { planId: basic.planId, planName: 'Basic', amountMicros: 250_000 },
    ]);
    expect(r.totals.revenueMicros).toBe(1_250_000);
    expect(r.revenueByConsumer.map((c) => [c.organizationId, c.calls, c.amountMicros])).toEqual([
      [a.consumerId, 5, 1_000_000],
      [basic.consumerId, 5, 250_000],
    ]);
    expect(r.topConsumers[0]!.calls).toBe(5);
  });

  it("answers 404 for another organization's API", async () => {
    expect(await codeOf(analytics.listingAnalytics({ organizationId: b.publisherId }, a.listingSlug, query))).toBe('NOT_FOUND');
    expect(await codeOf(analytics.listingAnalytics({ organizationId: a.consumerId }, a.listingSlug, query))).toBe('NOT_FOUND');
  });
});

describe('revenue across listings', () => {
  it('reports drafts, invoiced, paid, credit notes, the platform fee and the net', async () => {
    const r = await analytics.organizationRevenue({ organizationId: a.publisherId }, { from: query.from, to: query.to });
    expect(r.platformFeeBps).toBe(500);
    // paid 1.00 − credit 0.10 = 0.90; fee 5 % = 0.045; net 0.855.
    expect(r.listings).toEqual([{ listingId: a.listingId, slug: a.listingSlug, name: expect.any(String), draftMicros: 250_000, invoicedMicros: 1_000_000, paidMicros: 1_000_000, creditNotesMicros: 100_000, feeMicros: 45_000, netMicros: 855_000 }]);
    expect(r.totals).toEqual({ draftMicros: 250_000, invoicedMicros: 1_000_000, paidMicros: 1_000_000, creditNotesMicros: 100_000, feeMicros: 45_000, netMicros: 855_000 });
    const other = await analytics.organizationRevenue({ organizationId: b.publisherId }, { from: query.from, to: query.to });
    expect(other.totals.paidMicros).toBe(0);
  });
});

describe("the observability page's revenue panel", () => {
  it('gives calls per slot and each line spread over the window it charges for, by plan', async () => {
    const r = await analytics.environmentRevenue({ organizationId: a.publisherId }, a.environmentId, query);
    expect(r.calls).toEqual([4, 0, 0, 6, 0, 0, 0, 0, 0, 0]);
    const pro = r.plans.find((p) => p.planName === 'Pro')!;
    const basicPlan = r.plans.find((p) => p.planName === 'Basic')!;
    pro.revenueMicros.forEach((v) => expect(v).toBeCloseTo(100_000));
    expect(basicPlan.revenueMicros.map(Math.round)).toEqual([125_000, 125_000, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.revenueMicros.reduce((s, v) => s + v, 0)).toBeCloseTo(1_250_000);
  });

  it("shows nothing of an environment of another organization", async () => {
    const r = await analytics.environmentRevenue({ organizationId: b.publisherId }, a.environmentId, query);
    expect(r.calls.every((v) => v === 0)).toBe(true);
    expect(r.plans).toEqual([]);
  });
});
