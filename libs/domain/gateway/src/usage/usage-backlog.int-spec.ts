import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG, type Config } from '@slipway/config';
import { DbModule, PrismaService } from '@slipway/db';
import { RedisModule, RedisService, StreamGroupReader, trimAcknowledged } from '@slipway/redis';
import { createDomainTestContext, usageEvent, type DomainTestContext } from '@slipway/testing';
import { GatewayMetrics } from './gateway-metrics';
import { UsageConsumerFactory } from './usage-consumer';
import { UsageRecorder } from './usage-recorder';
import { EVENTS_PER_ENTRY, USAGE_CONSUMER_GROUP, USAGE_STREAM_KEY } from './usage-stream';
import { UsageModule } from './usage.module';

/**
 * The usage stream during a long worker outage: the gateway keeps recording, nothing is trimmed
 * that no worker has acknowledged, and past GATEWAY_USAGE_BACKLOG_MAX_ENTRIES the gateway refuses
 * new calls instead of losing records. A stream of this file's own on the real Redis.
 */
const STREAM = `slipway:test:usage:${randomBytes(6).toString('hex')}`;
const BOUND = 5;

@Global()
@Module({ providers: [{ provide: USAGE_STREAM_KEY, useValue: STREAM }], exports: [USAGE_STREAM_KEY] })
class TestStreamModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let redis: RedisService;
let consumers: UsageConsumerFactory;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestStreamModule, UsageModule], { GATEWAY_USAGE_BACKLOG_MAX_ENTRIES: BOUND });
  prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  consumers = ctx.app.get(UsageConsumerFactory);
});
afterAll(async () => {
  await redis?.client.del(STREAM);
  await ctx?.close();
});
beforeEach(async () => {
  await redis.client.del(STREAM);
  await prisma.gatewayRequest.deleteMany();
  await prisma.gatewayUsageMinute.deleteMany();
});

/** An api process's recorder with its own metrics. */
const newRecorder = () => {
  const metrics = new GatewayMetrics();
  return { recorder: new UsageRecorder(redis, metrics, STREAM, ctx.app.get<Config>(CONFIG)), metrics };
};

describe('the usage stream never drops what the worker has not written', () => {
  it('keeps every entry through a worker outage past the bound, refuses new calls meanwhile, and writes each event once when the worker is back', async () => {
    const worker = consumers.create({ consumer: 'worker-a', blockMs: 10 });
    await worker.recover(); // the group exists; then the worker goes away
    const { recorder, metrics } = newRecorder();
    const ids: string[] = [];
    // The gateway keeps recording far past the bound (calls already let in always get their record).
    for (let batch = 0; batch < BOUND * 3; batch++) {
      for (let i = 0; i < EVENTS_PER_ENTRY; i++) {
        const e = usageEvent();
        ids.push(e.id);
        recorder.record(e);
      }
      await recorder.flush();
    }
    expect(await redis.client.xlen(STREAM)).toBe(BOUND * 3);
    // Nothing unacknowledged may be trimmed, whoever asks.
    expect(await trimAcknowledged(redis.client, STREAM)).toBe(0);
    expect(await redis.client.xlen(STREAM)).toBe(BOUND * 3);

    const refusal = recorder.backPressure();
    expect(refusal).toMatchObject({ retryAfterSeconds: 5 });
    expect(refusal?.message).toContain('GATEWAY_USAGE_BACKLOG_MAX_ENTRIES');
    expect((await metrics.render())).toMatch(/slipway_gateway_usage_backlog_entries 15/);
    expect((await metrics.render())).toMatch(/slipway_gateway_usage_backpressure_total 1/);
    expect((await metrics.render())).not.toMatch(/slipway_gateway_usage_events_dropped_total [1-9]/);

    // The worker comes back: everything is written, once, and the stream shrinks to what is unacknowledged.
    while ((await worker.pollOnce()) > 0);
    expect(await worker.trim()).toBe(BOUND * 3);
    expect(await redis.client.xlen(STREAM)).toBe(0);
    expect(await prisma.gatewayRequest.count()).toBe(ids.length);
    const rows = await prisma.gatewayRequest.findMany({ select: { id: true } });
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
    await new Promise((r) => setTimeout(r, 1_100)); // the recorder's probe sees the stream's new length
    expect(recorder.backPressure()).toBeNull();
    await worker.stop();
    await recorder.onModuleDestroy();
  });

  it('trims only acknowledged entries: an entry pending with a dead worker and entries not yet read stay', async () => {
    const worker = consumers.create({ consumer: 'worker-a', blockMs: 10 });
    await worker.recover();
    const { recorder } = newRecorder();
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        recorder.record(usageEvent());
        await recorder.flush();
      }
    };
    await add(3);
    expect(await worker.pollOnce()).toBe(3); // written and acknowledged
    await add(1);
    const dead = new StreamGroupReader(redis, { stream: STREAM, group: USAGE_CONSUMER_GROUP, consumer: 'worker-dead' });
    const held = await dead.read({ pending: false, count: 10, blockMs: 10 });
    dead.close();
    expect(held).toHaveLength(1);
    await add(2); // not read yet
    expect(await trimAcknowledged(redis.client, STREAM)).toBe(3);
    const left = (await redis.client.xrange(STREAM, '-', '+')).map(([id]) => id);
    expect(left).toHaveLength(3);
    expect(left[0]).toBe(held[0]!.id);
    // Once the dead worker's entry is taken over and written, it goes too; the unread ones stay.
    const takeover = consumers.create({ consumer: 'worker-b', blockMs: 10, claimIdleMs: 0 });
    expect(await takeover.recover()).toBe(1);
    expect(await trimAcknowledged(redis.client, STREAM)).toBe(1);
    expect(await redis.client.xlen(STREAM)).toBe(2);
    expect(await prisma.gatewayRequest.count()).toBe(4);
    await takeover.stop();
    await worker.stop();
    await recorder.onModuleDestroy();
  });

  it('writes an event delivered twice (in two entries, or one entry read twice) once', async () => {
    const worker = consumers.create({ consumer: 'worker-a', blockMs: 10 });
    await worker.recover();
    const e = usageEvent({ costMicros: 7_000 });
    // The recorder retried an XADD whose answer it lost: the same event in two entries.
    await redis.xaddBatch(STREAM, 'events', [JSON.stringify([e]), JSON.stringify([e])]);
    expect(await worker.pollOnce()).toBe(2);
    expect(await prisma.gatewayRequest.count({ where: { id: e.id } })).toBe(1);
    const [rollup] = await prisma.gatewayUsageMinute.findMany({ where: { organizationId: e.organizationId } });
    expect(Number(rollup!.costMicros)).toBe(7_000);
    expect(rollup!.requests).toBe(1);
    await worker.stop();
  });
});
