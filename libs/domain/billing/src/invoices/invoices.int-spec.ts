import { randomBytes, randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARKETPLACE_USAGE_FIELD, marketplaceBalanceKey, type MarketplaceUsageEvent, type OrgActor, type PlanPricing } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { BillingModule } from '../billing.module';
import { MARKETPLACE_USAGE_STREAM_KEY, UsageIngestFactory, type UsageIngest } from '../metering/usage-ingest';
import { BillingPeriods } from '../periods/billing-periods';
import { SUBSCRIPTION_RECORD_PUBLISHER } from '../periods/subscription-record-publisher';
import { createBillingWorld, edgeEvent, type BillingWorld } from '../testing/billing-fixtures.int-support';
import { InvoiceDraftsService } from './invoice-drafts.service';
import { InvoicesService } from './invoices.service';

const STREAM = `slipway:test:mkt-billing:${randomBytes(6).toString('hex')}`;
const published: string[] = [];

@Global()
@Module({
  providers: [
    { provide: MARKETPLACE_USAGE_STREAM_KEY, useValue: STREAM },
    { provide: SUBSCRIPTION_RECORD_PUBLISHER, useValue: { publish: async (id: string) => void published.push(id) } },
  ],
  exports: [MARKETPLACE_USAGE_STREAM_KEY, SUBSCRIPTION_RECORD_PUBLISHER],
})
class TestPortsModule {}

const DEC = new Date('2026-12-01T00:00:00Z');
const JAN = new Date('2027-01-01T00:00:00Z');
const FEB = new Date('2027-02-01T00:00:00Z');
const dec = (day: number, hour = 12) => new Date(Date.UTC(2026, 11, day, hour));
const minutesAfter = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

const BASIC: PlanPricing = { kind: 'subscription', monthlyFeeMicros: 10_000_000, includedUnits: 1_000, overage: { mode: 'graduated', tiers: [{ upTo: null, unitPriceMicros: 10_000, flatMicros: 0 }] } };
const PRO: PlanPricing = { kind: 'subscription', monthlyFeeMicros: 31_000_000, includedUnits: 3_100, overage: { mode: 'graduated', tiers: [{ upTo: null, unitPriceMicros: 5_000, flatMicros: 0 }] } };

let ctx: DomainTestContext;
let prisma: PrismaService;
let redis: RedisService;
let meter: UsageIngest;
let periods: BillingPeriods;
let drafts: InvoiceDraftsService;
let invoices: InvoicesService;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestPortsModule, BillingModule], { MARKETPLACE_INVOICE_GRACE_MINUTES: 60 });
  prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  periods = ctx.app.get(BillingPeriods);
  drafts = ctx.app.get(InvoiceDraftsService);
  invoices = ctx.app.get(InvoicesService);
  meter = ctx.app.get(UsageIngestFactory).create({ consumer: 'billing-spec' });
});

afterAll(async () => {
  await meter?.stop();
  await redis?.client.del(STREAM);
  await ctx?.close();
});

beforeEach(async () => {
  await redis.client.del(STREAM);
  await meter.recover();
  published.length = 0;
});

/** Calls through the edge: events appended as the edge does, then stored by the meter. */
async function calls(events: MarketplaceUsageEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) await redis.client.xadd(STREAM, '*', MARKETPLACE_USAGE_FIELD, JSON.stringify(events.slice(i, i + 500)));
  while ((await meter.pollOnce()).entries > 0);
}
const many = (world: BillingWorld, n: number, at: Date, over: Partial<MarketplaceUsageEvent> = {}) => Array.from({ length: n }, (_, i) => edgeEvent(world, new Date(at.getTime() + i), over));
const consumerOf = (world: BillingWorld): OrgActor => ({ userId: 'u-consumer', email: 'c@example.com', organizationId: world.consumer.id, organizationSlug: world.consumer.slug, role: 'MEMBER' });
const publisherOf = (world: BillingWorld): OrgActor => ({ userId: 'u-publisher', email: 'p@example.com', organizationId: world.publisher.id, organizationSlug: world.publisher.slug, role: 'ADMIN' });
const decInvoice = (world: BillingWorld) => prisma.apiInvoice.findUniqueOrThrow({ where: { subscriptionId_periodStart: { subscriptionId: world.subscriptionId, periodStart: DEC } } });
const lines = async (invoiceId: string) => (await prisma.apiInvoiceLine.findMany({ where: { invoiceId }, orderBy: { position: 'asc' } })).map((l) => [l.kind, l.quantity, l.amountMicros]);

describe('invoices of published APIs', () => {
  it('prorates an upgrade mid-period exactly and rates each call by the version it was admitted under', async () => {
    const world = await createBillingWorld(prisma, { pricing: [BASIC], periodStart: DEC, periodEnd: JAN });
    const proPlan = await prisma.apiPlan.create({ data: { listingId: world.listingId, slug: `pro-${randomUUID().slice(0, 6)}`, name: 'Pro' } });
    const pro = await prisma.apiPlanVersion.create({ data: { planId: proPlan.id, version: 1, pricing: PRO, limits: {} } });
    await calls(many(world, 400, dec(3)));
    // The upgrade on Dec 11 00:00 (what the API part writes), then 2,000 calls under Pro.
    await prisma.apiSubscription.update({ where: { id: world.subscriptionId }, data: { planId: proPlan.id, planVersionId: pro.id } });
    await prisma.apiSubscriptionChange.create({ data: { subscriptionId: world.subscriptionId, fromPlanVersionId: world.versions[0]!, toPlanVersionId: pro.id, at: dec(11, 0) } });
    await calls(many(world, 2_000, dec(20), { planVersionId: pro.id }));
    await calls(many(world, 7, dec(21), { mode: 'test', planVersionId: pro.id })); // test keys: never billed
    await prisma.apiPublisherSettings.create({ data: { organizationId: world.publisher.id, taxRateBps: 2_000 } });

    await periods.pass(dec(25));
    const detail = await invoices.detail(consumerOf(world), 'consumer', (await decInvoice(world)).id);
    expect(detail.lines.map((l) => [l.kind, l.quantity, l.amountMicros])).toEqual([
      ['proration', 1, 3_225_806], // $10 × 10/31 days
      ['included', 322, 0], // 1,000 × 10/31, whole units
      ['overage', 78, 780_000],
      ['proration', 1, 21_000_000], // $31 × 21/31 days
      ['included', 2_000, 0],
    ]);
    expect(detail).toMatchObject({ status: 'DRAFT', subtotalMicros: 25_005_806, taxRateBps: 2_000, taxMicros: 5_001_161, totalMicros: 30_006_967, number: null });
  });

  it('bills a price change to an existing subscription from its next period only', async () => {
    const world = await createBillingWorld(prisma, { pricing: [{ kind: 'per_call', unitPriceMicros: 1_000 }, { kind: 'per_call', unitPriceMicros: 3_000 }], periodStart: DEC, periodEnd: JAN });
    await calls(many(world, 100, dec(5)));
    // Mid-period the publisher makes v2 current: new subscriptions get it at once, this one at its roll.
    await prisma.apiPlan.update({ where: { id: world.planId }, data: { currentVersionId: world.versions[1]! } });
    await calls(many(world, 50, dec(20)));
    expect((await periods.pass(dec(28))).rolled).toBe(0);
    expect(await lines((await decInvoice(world)).id)).toEqual([['per_call', 150n, 150_000n]]);

    const report = await periods.pass(minutesAfter(JAN, 1));
    expect(report.rolled).toBeGreaterThanOrEqual(1);
    expect(published).toContain(world.subscriptionId);
    const sub = await prisma.apiSubscription.findUniqueOrThrow({ where: { id: world.subscriptionId } });
    expect(sub).toMatchObject({ planVersionId: world.versions[1], currentPeriodStart: JAN, currentPeriodEnd: FEB });
    // The edge admits January's calls under v2 once it has the republished record.
    await calls(many(world, 10, new Date('2027-01-03T00:00:00Z'), { planVersionId: world.versions[1]! }));
    const jan = await prisma.apiInvoice.findUniqueOrThrow({ where: { subscriptionId_periodStart: { subscriptionId: world.subscriptionId, periodStart: JAN } } });
    await drafts.recompute(jan.id);
    expect(await lines(jan.id)).toEqual([['per_call', 10n, 30_000n]]);
    expect(await lines((await decInvoice(world)).id)).toEqual([['per_call', 150n, 150_000n]]);
  });

  it('finalizes after the grace period; a crash inside finalization leaves the whole draft, a retry finalizes once', async () => {
    const world = await createBillingWorld(prisma, { pricing: [{ kind: 'per_call', unitPriceMicros: 2_000 }], periodStart: DEC, periodEnd: JAN });
    await calls(many(world, 300, dec(10)));
    await periods.pass(minutesAfter(JAN, 30)); // rolled, still in grace: a draft
    const draft = await decInvoice(world);
    expect(draft).toMatchObject({ status: 'DRAFT', totalMicros: 600_000n });
    await calls(many(world, 20, dec(31, 23))); // a late-arriving batch inside the grace period: still billed

    await expect(drafts.finalize(draft.id, minutesAfter(JAN, 61), { beforeCommit: () => Promise.reject(new Error('worker killed')) })).rejects.toThrow('worker killed');
    const after = await prisma.apiInvoice.findUniqueOrThrow({ where: { id: draft.id } });
    expect(after).toMatchObject({ status: 'DRAFT', number: null, finalizedAt: null, totalMicros: 600_000n });
    expect(await prisma.apiLedgerEntry.count({ where: { invoiceId: draft.id } })).toBe(0);

    const report = await periods.pass(minutesAfter(JAN, 61));
    expect(report.finalized).toBeGreaterThanOrEqual(1);
    const final = await prisma.apiInvoice.findUniqueOrThrow({ where: { id: draft.id } });
    expect(final).toMatchObject({ status: 'FINALIZED', totalMicros: 640_000n, number: `${world.publisher.slug}-000001` });
    expect(await drafts.finalize(draft.id, minutesAfter(JAN, 62))).toBe(false); // a second worker's claim: nothing
    const ledger = await prisma.apiLedgerEntry.findMany({ where: { invoiceId: draft.id } });
    expect(ledger.map((e) => [e.kind, e.amountMicros, e.organizationId])).toEqual([['INVOICE_FINALIZED', -640_000n, world.consumer.id]]);

    // After finalization: kept, flagged late, never billed.
    await calls(many(world, 5, dec(31, 22)));
    expect(await prisma.apiUsageEvent.count({ where: { lateForInvoiceId: draft.id } })).toBe(5);
    const detail = await invoices.detail(consumerOf(world), 'consumer', draft.id);
    expect(detail).toMatchObject({ status: 'FINALIZED', totalMicros: 640_000, lateEvents: 5 });
  });

  it('prices per-token plans from the gateway requests of the calls, only the publisher’s own', async () => {
    const world = await createBillingWorld(prisma, {
      pricing: [{ kind: 'per_token', inputPerMillionMicros: 3_000_000, outputPerMillionMicros: 15_000_000, cachedPerMillionMicros: 300_000, gatewayCostMarkupPercent: null }],
      periodStart: DEC,
      periodEnd: JAN,
    });
    const [a, b] = many(world, 2, dec(8));
    await calls([a!, b!]);
    const request = (apiCallId: string, organizationId: string, input: number, output: number) =>
      prisma.gatewayRequest.create({
        data: { id: randomUUID(), organizationId, projectId: 'p', keyId: 'k', api: 'openai', modelRequested: 'fast', status: 200, latencyMs: 5, inputTokens: input, outputTokens: output, cacheReadTokens: 0, cacheWriteTokens: 0, costMicros: 10n, retries: 0, fallbackChain: [], streamed: false, createdAt: dec(8), apiCallId },
      });
    await request(a!.id, world.publisher.id, 1_000_000, 100_000);
    await request(b!.id, world.publisher.id, 500_000, 0);
    await request(b!.id, world.consumer.id, 9_000_000, 9_000_000); // someone else's gateway naming the call: ignored
    await periods.pass(dec(9));
    const detail = await invoices.detail(consumerOf(world), 'consumer', (await decInvoice(world)).id);
    expect(detail.lines.map((l) => [l.kind, l.quantity, l.amountMicros])).toEqual([
      ['tokens_input', 1_500_000, 4_500_000],
      ['tokens_output', 100_000, 1_500_000],
    ]);
  });

  it('shows an invoice only to its consumer and its publisher: any other organization gets not found', async () => {
    const world = await createBillingWorld(prisma, { pricing: [{ kind: 'per_call', unitPriceMicros: 1_000 }], periodStart: DEC, periodEnd: JAN });
    const other = await createBillingWorld(prisma, { pricing: [{ kind: 'free' }], periodStart: DEC, periodEnd: JAN });
    await calls(many(world, 3, dec(9)));
    await periods.pass(dec(10));
    const id = (await decInvoice(world)).id;
    const stranger = consumerOf(other);
    await expect(invoices.detail(stranger, 'consumer', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(invoices.detail(publisherOf(other), 'publisher', id, other.listingId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(invoices.detail(publisherOf(other), 'publisher', id, world.listingId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(invoices.usageEvents(stranger, id, { limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(invoices.subscriptionUsage(stranger, world.subscriptionId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await invoices.list(stranger, 'consumer', { limit: 50 })).invoices.map((i) => i.id)).not.toContain(id);
    expect((await invoices.detail(publisherOf(world), 'publisher', id, world.listingId)).totalMicros).toBe(3_000);
    expect((await invoices.list(consumerOf(world), 'consumer', { limit: 50 })).invoices.map((i) => i.id)).toEqual([id]);
  });

  it('drills down from a line to its usage by day and to the raw events, page by page', async () => {
    const world = await createBillingWorld(prisma, { pricing: [{ kind: 'per_call', unitPriceMicros: 1_000 }], periodStart: DEC, periodEnd: JAN });
    await calls([...many(world, 3, dec(4)), ...many(world, 2, dec(6), { weight: 5 }), ...many(world, 1, dec(6), { mode: 'test' })]);
    await periods.pass(dec(7));
    const detail = await invoices.detail(consumerOf(world), 'consumer', (await decInvoice(world)).id);
    const line = detail.lines[0]!;
    expect(line).toMatchObject({ kind: 'per_call', quantity: 13, amountMicros: 13_000 });
    const usage = await invoices.lineUsage(consumerOf(world), detail.id, line.id);
    expect(usage.days).toEqual([
      { day: '2026-12-04', calls: 3, units: 3, testCalls: 0 },
      { day: '2026-12-06', calls: 2, units: 10, testCalls: 1 },
    ]);
    const first = await invoices.usageEvents(consumerOf(world), detail.id, { limit: 4 });
    expect(first.events).toHaveLength(4);
    const second = await invoices.usageEvents(consumerOf(world), detail.id, { limit: 4, cursor: first.nextCursor! });
    expect(second.events).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.events, ...second.events].map((e) => e.id)).size).toBe(6);
    const now = await invoices.subscriptionUsage(consumerOf(world), world.subscriptionId);
    expect(now).toMatchObject({ chargesMicros: 13_000, invoiceId: detail.id, creditBalanceMicros: null });
  });

  it('credits a finalized invoice at most what is left, and refuses drafts', async () => {
    const world = await createBillingWorld(prisma, { pricing: [{ kind: 'per_call', unitPriceMicros: 1_000 }], periodStart: DEC, periodEnd: JAN });
    await calls(many(world, 10, dec(2)));
    await periods.pass(dec(3));
    const id = (await decInvoice(world)).id;
    const admin = publisherOf(world);
    const api = (await prisma.apiListing.findUniqueOrThrow({ where: { id: world.listingId } })).slug;
    await expect(invoices.createCreditNote(admin, api, id, { amountMicros: 1, reason: 'x' })).rejects.toMatchObject({ code: 'INVOICE_NOT_FINALIZED' });
    await drafts.finalize(id, minutesAfter(JAN, 61));
    await invoices.createCreditNote(admin, api, id, { amountMicros: 6_000, reason: 'outage on Dec 2' });
    await expect(invoices.createCreditNote(admin, api, id, { amountMicros: 4_001, reason: 'too much' })).rejects.toMatchObject({ code: 'CREDIT_EXCEEDS_INVOICE' });
    await invoices.createCreditNote(admin, api, id, { amountMicros: 4_000, reason: 'rest' });
    expect((await invoices.detail(admin, 'publisher', id, api)).creditedMicros).toBe(10_000);
    expect(await prisma.apiLedgerEntry.aggregate({ where: { invoiceId: id, kind: 'CREDIT_NOTE' }, _sum: { amountMicros: true } })).toMatchObject({ _sum: { amountMicros: 10_000n } });
    await expect(invoices.createCreditNote(consumerOf(world), api, id, { amountMicros: 1, reason: 'self' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resets the balance the edge gates a spend cap by from the truth, minus calls the edge admitted meanwhile', async () => {
    const now = new Date();
    const start = new Date(now.getTime() - 86_400_000);
    const world = await createBillingWorld(prisma, { pricing: [{ kind: 'per_call', unitPriceMicros: 1_000 }], periodStart: start, periodEnd: new Date(now.getTime() + 20 * 86_400_000), spendCapMicros: 50_000n });
    await calls(many(world, 10, new Date(now.getTime() - 60_000)));
    // Two calls admitted by the edge (balance taken) whose events are still in the stream.
    await redis.client.xadd(STREAM, '*', MARKETPLACE_USAGE_FIELD, JSON.stringify(many(world, 2, now)));
    await periods.pass(now);
    // cap 50,000 − 10 stored × 1,000 − 2 in flight × 1,000
    expect(await redis.client.get(marketplaceBalanceKey(world.subscriptionId))).toBe('38000');
    await redis.client.del(marketplaceBalanceKey(world.subscriptionId));
  });
});
