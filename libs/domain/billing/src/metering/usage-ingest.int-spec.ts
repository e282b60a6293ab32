import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARKETPLACE_USAGE_FIELD, MARKETPLACE_USAGE_GROUP, type MarketplaceUsageEvent } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { BillingModule } from '../billing.module';
import { createBillingWorld, edgeEvent, type BillingWorld } from '../testing/billing-fixtures.int-support';
import { MARKETPLACE_USAGE_STREAM_KEY, UsageIngestFactory } from './usage-ingest';
import { UsageIngestRepository } from './usage-ingest.repository';

/** A stream of this file's own: nothing reading the real one ever sees these events. */
const STREAM = `slipway:test:mkt-usage:${randomBytes(6).toString('hex')}`;

@Global()
@Module({ providers: [{ provide: MARKETPLACE_USAGE_STREAM_KEY, useValue: STREAM }], exports: [MARKETPLACE_USAGE_STREAM_KEY] })
class TestStreamModule {}

const DEC = new Date('2026-12-01T00:00:00Z');
const JAN = new Date('2027-01-01T00:00:00Z');

let ctx: DomainTestContext;
let prisma: PrismaService;
let redis: RedisService;
let meters: UsageIngestFactory;
let world: BillingWorld;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestStreamModule, BillingModule]);
  prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  meters = ctx.app.get(UsageIngestFactory);
  world = await createBillingWorld(prisma, { pricing: [{ kind: 'per_call', unitPriceMicros: 1_000 }], periodStart: DEC, periodEnd: JAN });
});

afterAll(async () => {
  await redis?.client.del(STREAM);
  await ctx?.close();
});

beforeEach(async () => {
  await redis.client.del(STREAM);
  await prisma.apiUsageEvent.deleteMany();
  await prisma.apiInvoice.deleteMany();
});

/** Appends one entry as the edge does: a JSON array of events in field `events`. */
const append = (events: unknown[]) => redis.client.xadd(STREAM, '*', MARKETPLACE_USAGE_FIELD, JSON.stringify(events));
const stored = () => prisma.apiUsageEvent.findMany({ orderBy: { time: 'asc' } });
const pending = async () => Number(((await redis.client.xpending(STREAM, MARKETPLACE_USAGE_GROUP)) as [number])[0]);
const at = (day: number) => new Date(Date.UTC(2026, 11, day, 12));

describe('api-usage-ingest', () => {
  it('stores a duplicated event once, within a batch and across batches', async () => {
    const meter = meters.create({ consumer: 'dup' });
    await meter.recover();
    const a = edgeEvent(world, at(2));
    const b = edgeEvent(world, at(3));
    await append([a, a, b]);
    await append([b]);
    expect(await meter.pollOnce()).toMatchObject({ entries: 2, inserted: 2, duplicates: 2, invalid: 0 });
    await append([a, b]); // replayed later (the edge retried an append that had in fact landed)
    expect(await meter.pollOnce()).toMatchObject({ inserted: 0, duplicates: 2 });
    const rows = await stored();
    expect(rows.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(rows[0]).toMatchObject({ publisherOrganizationId: world.publisher.id, consumerOrganizationId: world.consumer.id, live: true, weight: 1, status: 200, lateForInvoiceId: null });
    expect(rows[0]!.time.toISOString()).toBe(a.time);
    expect(await pending()).toBe(0);
    await meter.stop();
  });

  it('stores once a batch whose worker died between the insert and the ack, claimed by another consumer', async () => {
    const events = Array.from({ length: 50 }, (_, i) => edgeEvent(world, new Date(at(4).getTime() + i * 1000)));
    await append(events.slice(0, 30));
    await append(events.slice(30));
    // The dead worker read the entries and committed them, and died before XACK: the rows are in, the entries pending.
    const dead = meters.create({ consumer: 'dead' });
    await dead.recover();
    expect(await dead.readWithoutStoring()).toBe(2);
    await ctx.app.get(UsageIngestRepository).ingest(events.map((e) => ({ ...e, publisherOrganizationId: world.publisher.id })));
    expect(await pending()).toBe(2);
    await dead.stop();

    // Another worker takes the idle entries over (XAUTOCLAIM) and stores nothing twice.
    const survivor = meters.create({ consumer: 'survivor', claimIdleMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    expect(await survivor.recover()).toMatchObject({ entries: 2, inserted: 0, duplicates: 50 });
    expect(await stored()).toHaveLength(50);
    expect(await pending()).toBe(0);
    expect(await survivor.trim()).toBe(2);
    await survivor.stop();
  });

  it('stores a batch a worker read but never stored, once, when a new consumer claims it', async () => {
    const events = Array.from({ length: 10 }, (_, i) => edgeEvent(world, new Date(at(5).getTime() + i)));
    await append(events);
    const dead = meters.create({ consumer: 'dead-before-insert' });
    await dead.recover();
    expect(await dead.readWithoutStoring()).toBe(1);
    await dead.stop();
    const survivor = meters.create({ consumer: 'survivor-2', claimIdleMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    expect(await survivor.recover()).toMatchObject({ inserted: 10 });
    expect(await stored()).toHaveLength(10);
    await survivor.stop();
  });

  it('logs and acknowledges invalid events and entries without holding up the valid ones', async () => {
    const meter = meters.create({ consumer: 'invalid' });
    await meter.recover();
    const good = edgeEvent(world, at(6));
    const unknownListing = edgeEvent(world, at(6), { listingId: 'no-such-listing' });
    await append([good, { ...edgeEvent(world, at(6)), weight: 0 }, { id: 'not-a-uuid' }, unknownListing, { ...edgeEvent(world, at(6)), operation: 'a\u0000b' }]);
    await redis.client.xadd(STREAM, '*', MARKETPLACE_USAGE_FIELD, 'not json');
    await redis.client.xadd(STREAM, '*', 'other', '1');
    expect(await meter.pollOnce()).toMatchObject({ entries: 3, inserted: 1, invalid: 6 });
    expect((await stored()).map((r) => r.id)).toEqual([good.id]);
    expect(await pending()).toBe(0);
    await meter.stop();
  });

  it('flags an event late when its period’s invoice is already final, and counts it when the invoice is a draft', async () => {
    const invoice = await prisma.apiInvoice.create({
      data: {
        subscriptionId: world.subscriptionId,
        listingId: world.listingId,
        consumerOrganizationId: world.consumer.id,
        publisherOrganizationId: world.publisher.id,
        periodStart: DEC,
        periodEnd: JAN,
      },
    });
    const meter = meters.create({ consumer: 'late' });
    await meter.recover();
    const beforeFinal = edgeEvent(world, at(20));
    await append([beforeFinal]);
    expect(await meter.pollOnce()).toMatchObject({ inserted: 1, late: 0 });
    await prisma.apiInvoice.update({ where: { id: invoice.id }, data: { status: 'FINALIZED', finalizedAt: new Date() } });
    const afterFinal: MarketplaceUsageEvent = edgeEvent(world, at(21));
    const nextPeriod = edgeEvent(world, new Date('2027-01-02T00:00:00Z'));
    await append([afterFinal, nextPeriod]);
    expect(await meter.pollOnce()).toMatchObject({ inserted: 2, late: 1 });
    const rows = await stored();
    expect(rows.map((r) => [r.id, r.lateForInvoiceId])).toEqual([
      [beforeFinal.id, null],
      [afterFinal.id, invoice.id],
      [nextPeriod.id, null],
    ]);
    await meter.stop();
  });

  it('stores test-key events as not live (never billed)', async () => {
    const meter = meters.create({ consumer: 'test-keys' });
    await meter.recover();
    await append([edgeEvent(world, at(7), { mode: 'test' })]);
    await meter.pollOnce();
    expect((await stored()).map((r) => r.live)).toEqual([false]);
    await meter.stop();
  });
});
