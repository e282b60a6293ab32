import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule, RedisService, StreamGroupReader } from '@slipway/redis';
import { createDomainTestContext, usageEvent, type DomainTestContext } from '@slipway/testing';
import { UsageConsumerFactory } from './usage-consumer';
import { parseUsageEntry } from './usage-entry';
import { UsageRecorder } from './usage-recorder';
import { USAGE_CONSUMER_GROUP, USAGE_EVENTS_FIELD, USAGE_STREAM_KEY } from './usage-stream';
import { UsageModule } from './usage.module';
import { UsageRepository } from './usage.repository';

/** A stream of this file's own, so nothing else reading the real one ever sees these events. */
const STREAM = `slipway:test:usage:${randomBytes(6).toString('hex')}`;

@Global()
@Module({ providers: [{ provide: USAGE_STREAM_KEY, useValue: STREAM }], exports: [USAGE_STREAM_KEY] })
class TestStreamModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let redis: RedisService;
let recorder: UsageRecorder;
let consumers: UsageConsumerFactory;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestStreamModule, UsageModule]);
  prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  recorder = ctx.app.get(UsageRecorder);
  consumers = ctx.app.get(UsageConsumerFactory);
});

afterAll(async () => {
  await redis?.client.del(STREAM);
  await ctx?.close();
});

beforeEach(async () => {
  // Each test starts from an empty stream, group and tables.
  await redis.client.del(STREAM);
  await prisma.gatewayRequest.deleteMany();
  await prisma.gatewayUsageMinute.deleteMany();
});

// The rows need no organization or project: GatewayRequest has no foreign keys (events outlive deletions).
const event = usageEvent;

const rollups = () =>
  prisma.gatewayUsageMinute
    .findMany({ orderBy: [{ minute: 'asc' }, { model: 'asc' }, { feature: 'asc' }, { customer: 'asc' }] })
    .then((rows) =>
      rows.map((r) => ({
        minute: r.minute.toISOString(),
        model: r.model,
        feature: r.feature,
        customer: r.customer,
        requests: r.requests,
        errors: r.errors,
        streamed: r.streamed,
        tokens: [r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens].map(Number),
        costMicros: Number(r.costMicros),
        latencyMsSum: Number(r.latencyMsSum),
        ttftMsSum: Number(r.ttftMsSum),
        retries: r.retries,
        fallbacks: r.fallbacks,
      })),
    );

const pendingCount = async (): Promise<number> => {
  const [count] = (await redis.client.xpending(STREAM, USAGE_CONSUMER_GROUP)) as [number];
  return Number(count);
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('usage pipeline: recorder → Redis stream → worker consumer → Postgres', () => {
  it('writes each recorded request as a row and adds it to its minute rollup', async () => {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const at = (offsetMs: number) => new Date(minute.getTime() + offsetMs).toISOString();
    const events = [
      event({ at: at(1_000), feature: 'chat', customer: 'c1', inputTokens: 100, outputTokens: 20, costMicros: 1_500, latencyMs: 200 }),
      event({
        at: at(2_000),
        feature: 'chat',
        customer: 'c2',
        inputTokens: 50,
        outputTokens: 10,
        cacheReadTokens: 400,
        costMicros: 700,
        latencyMs: 300,
        streamed: true,
        ttftMs: 40,
      }),
      event({
        at: at(3_000),
        feature: 'chat',
        status: 529,
        errorCategory: 'overloaded',
        modelServed: null,
        inputTokens: 0,
        outputTokens: 0,
        costMicros: 0,
        latencyMs: 50,
        retries: 2,
        fallbackChain: ['mock/a:overloaded', 'mock/a:overloaded', 'mock/a:overloaded'],
      }),
      event({
        at: at(4_000),
        modelRequested: 'smart',
        modelServed: 'mock-smart',
        inputTokens: 7,
        outputTokens: 3,
        cacheWriteTokens: 9,
        costMicros: 2_000,
        latencyMs: 900,
        retries: 1,
        fallbackChain: ['mock/fast:timeout', 'mock/smart:timeout', 'mock/smart:ok'],
      }),
      event({ at: at(61_000), feature: 'chat', costMicros: 10 }),
    ];
    for (const e of events) recorder.record(e);
    await recorder.flush();
    expect(await redis.client.xlen(STREAM)).toBe(1); // one entry carries the whole batch

    const consumer = consumers.create({ consumer: 'w1', blockMs: 50 });
    consumer.start();
    await until('5 rows', async () => (await prisma.gatewayRequest.count()) === 5);
    await consumer.stop();

    const row = await prisma.gatewayRequest.findUniqueOrThrow({ where: { id: events[1]!.id } });
    expect(row).toMatchObject({
      organizationId: 'org-a',
      keyId: 'key-a',
      modelRequested: 'fast',
      provider: 'mock',
      status: 200,
      ttftMs: 40,
      streamed: true,
      cacheReadTokens: 400,
      customer: 'c2',
    });
    expect(row.costMicros).toBe(700n);
    expect(row.createdAt.toISOString()).toBe(events[1]!.at);

    // Ordered by minute, model, feature, customer ('' = not given).
    const m0 = minute.toISOString();
    const zero = { errors: 0, streamed: 0, ttftMsSum: 0, retries: 0, fallbacks: 0 };
    expect(await rollups()).toEqual([
      {
        ...zero,
        minute: m0,
        model: 'fast',
        feature: 'chat',
        customer: '',
        requests: 1,
        errors: 1,
        tokens: [0, 0, 0, 0],
        costMicros: 0,
        latencyMsSum: 50,
        retries: 2,
      },
      {
        ...zero,
        minute: m0,
        model: 'fast',
        feature: 'chat',
        customer: 'c1',
        requests: 1,
        tokens: [100, 20, 0, 0],
        costMicros: 1_500,
        latencyMsSum: 200,
      },
      {
        ...zero,
        minute: m0,
        model: 'fast',
        feature: 'chat',
        customer: 'c2',
        requests: 1,
        streamed: 1,
        tokens: [50, 10, 400, 0],
        costMicros: 700,
        latencyMsSum: 300,
        ttftMsSum: 40,
      },
      {
        ...zero,
        minute: m0,
        model: 'smart',
        feature: '',
        customer: '',
        requests: 1,
        tokens: [7, 3, 0, 9],
        costMicros: 2_000,
        latencyMsSum: 900,
        retries: 1,
        fallbacks: 1,
      },
      {
        ...zero,
        minute: new Date(minute.getTime() + 60_000).toISOString(),
        model: 'fast',
        feature: 'chat',
        customer: '',
        requests: 1,
        tokens: [10, 5, 0, 0],
        costMicros: 10,
        latencyMsSum: 100,
      },
    ]);
    expect(await pendingCount()).toBe(0);
  });

  it('sends a batch by itself within moments, without an explicit flush', async () => {
    recorder.record(event());
    recorder.record(event());
    await until('one stream entry with both events', async () => (await redis.client.xlen(STREAM)) === 1, 1_000);
    const [entry] = await redis.client.xrange(STREAM, '-', '+');
    expect(JSON.parse(entry![1][1]!)).toHaveLength(2);
  });

  it('adds nothing twice when a batch comes back after a crash between commit and ack', async () => {
    const events = [event({ costMicros: 300, inputTokens: 30 }), event({ costMicros: 400, inputTokens: 40 })];
    for (const e of events) recorder.record(e);
    await recorder.flush();

    // A worker reads the batch and commits it, then dies before XACK.
    const dying = new StreamGroupReader(redis, { stream: STREAM, group: USAGE_CONSUMER_GROUP, consumer: 'w-crashed' });
    await dying.ensureGroup();
    const entries = await dying.read({ pending: false, count: 500, blockMs: 100 });
    expect(entries).toHaveLength(1);
    const inserted = await ctx.app.get(UsageRepository).ingest(entries.flatMap((e) => parseUsageEntry(e).events));
    expect(inserted).toHaveLength(2);
    dying.close();
    const before = await rollups();
    expect(before.reduce((s, r) => s + r.costMicros, 0)).toBe(700);
    expect(await pendingCount()).toBe(1);

    // It restarts under the same name: its pending entry is handled first, and counts once.
    const restarted = consumers.create({ consumer: 'w-crashed' });
    expect(await restarted.recover()).toBe(1);
    await restarted.stop();
    expect(await rollups()).toEqual(before);
    expect(await prisma.gatewayRequest.count()).toBe(2);
    expect(await pendingCount()).toBe(0);
  });

  it("takes over a dead worker's pending batch once it has been idle, still counting it once", async () => {
    recorder.record(event({ costMicros: 900 }));
    await recorder.flush();
    const dying = new StreamGroupReader(redis, { stream: STREAM, group: USAGE_CONSUMER_GROUP, consumer: 'w-dead' });
    await dying.ensureGroup();
    const [entry] = await dying.read({ pending: false, count: 500, blockMs: 100 });
    await ctx.app.get(UsageRepository).ingest(parseUsageEntry(entry!).events);
    dying.close();

    const survivor = consumers.create({ consumer: 'w-other', claimIdleMs: 200 });
    expect(await survivor.recover()).toBe(0); // not idle long enough yet
    await new Promise((r) => setTimeout(r, 250));
    expect(await survivor.recover()).toBe(1);
    await survivor.stop();
    expect((await rollups()).map((r) => [r.requests, r.costMicros])).toEqual([[1, 900]]);
    expect(await pendingCount()).toBe(0);
  });

  it('acks and skips entries that cannot be stored, and stores the valid ones around them', async () => {
    const good = event({ costMicros: 123 });
    // Each entry is a batch ("events": a JSON array); here most carry one event.
    const bad = [
      'not json',
      JSON.stringify([{ id: 'x' }]),
      JSON.stringify([event({ feature: 'a\u0000b' })]),
      JSON.stringify([event({ latencyMs: -5 })]),
      JSON.stringify([event({ at: 'yesterday' })]),
      JSON.stringify([event({ inputTokens: 3_000_000_000 })]),
    ];
    const consumer = consumers.create({ consumer: 'w1', blockMs: 50 });
    await consumer.recover(); // makes the group
    for (const raw of bad.slice(0, 3)) await redis.client.xadd(STREAM, '*', USAGE_EVENTS_FIELD, raw);
    await redis.client.xadd(STREAM, '*', 'other-field', JSON.stringify([event()]));
    await redis.client.xadd(STREAM, '*', USAGE_EVENTS_FIELD, JSON.stringify([good]));
    for (const raw of bad.slice(3)) await redis.client.xadd(STREAM, '*', USAGE_EVENTS_FIELD, raw);
    // A batch entry: its valid events are stored, its bad ones skipped one by one.
    const alsoGood = event({ costMicros: 7 });
    await redis.client.xadd(STREAM, '*', USAGE_EVENTS_FIELD, JSON.stringify([event({ latencyMs: -1 }), alsoGood]));
    await redis.client.xadd(STREAM, '*', USAGE_EVENTS_FIELD, JSON.stringify({ not: 'a list' }));

    expect(await consumer.pollOnce()).toBe(10);
    await consumer.stop();
    expect((await prisma.gatewayRequest.findMany()).map((r) => r.id).sort()).toEqual([good.id, alsoGood.id].sort());
    expect(await pendingCount()).toBe(0);
  });
});
