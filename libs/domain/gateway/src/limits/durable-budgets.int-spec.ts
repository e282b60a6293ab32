import { randomBytes, randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { gatewayConfigSchema, type UsageEvent } from '@slipway/contracts';
import type { Config } from '@slipway/config';
import { DbModule } from '@slipway/db';
import { RedisModule, RedisService, StreamGroupReader } from '@slipway/redis';
import { createDomainTestContext, usageEvent, type DomainTestContext } from '@slipway/testing';
import { DurableSpend } from '../usage/durable-spend';
import { UsageConsumerFactory, type UsageConsumer } from '../usage/usage-consumer';
import { UsageRecorder } from '../usage/usage-recorder';
import { USAGE_CONSUMER_GROUP, USAGE_STREAM_KEY } from '../usage/usage-stream';
import { UsageModule } from '../usage/usage.module';
import { GatewayLimits } from './gateway-limits';
import type { LimitDecision, LimitSubject } from './limit-types';

/**
 * Budget counters live in Redis; the durable truth is the usage records (PostgreSQL rows the
 * worker wrote, plus events still in the usage stream). These tests lose the counters the way a
 * Redis restart, FLUSHALL or eviction would — by deleting this test's own keys, never anything
 * else of the shared Redis — and check that budgets hold across the loss.
 */
const STREAM = `slipway:test:usage:${randomBytes(6).toString('hex')}`;

@Global()
@Module({ providers: [{ provide: USAGE_STREAM_KEY, useValue: STREAM }], exports: [USAGE_STREAM_KEY] })
class TestStreamModule {}

let ctx: DomainTestContext;
let redis: RedisService;
let recorder: UsageRecorder;
let durable: DurableSpend;
let consumer: UsageConsumer;
let limits: GatewayLimits;
let org: string;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestStreamModule, UsageModule]);
  redis = ctx.app.get(RedisService);
  recorder = ctx.app.get(UsageRecorder);
  durable = ctx.app.get(DurableSpend);
  consumer = ctx.app.get(UsageConsumerFactory).create({ consumer: 'worker-test', blockMs: 10 });
  limits = new GatewayLimits(redis, durable);
});
afterAll(async () => {
  await consumer?.stop();
  await redis?.client.del(STREAM);
  await ctx?.close();
});
beforeEach(async () => {
  org = `org-${randomUUID()}`;
  await redis.client.del(STREAM);
  await consumer.recover(); // creates the group on the fresh stream
});
afterEach(async () => {
  await loseCounters();
});

/** What a Redis restart does to this organization's counters (and only this test's). */
async function loseCounters(): Promise<number> {
  const keys = await redis.client.keys(`slipway:gw:{${org}}:*`);
  if (keys.length > 0) await redis.client.del(...keys);
  return keys.length;
}

const DAILY_DOLLAR = gatewayConfigSchema.parse({ budgets: [{ name: 'daily', scope: 'project', period: 'day', limitUsd: 1 }] });
const subject = (over: Partial<LimitSubject> = {}): LimitSubject => ({
  organizationId: org,
  projectId: 'p1',
  keyId: 'k1',
  alias: 'chat',
  attribution: { feature: null, customer: null },
  monthlyKeyBudgetMicros: null,
  ...over,
});
const spend = (costMicros: number, over: Partial<UsageEvent> = {}) => usageEvent({ organizationId: org, projectId: 'p1', keyId: 'k1', modelRequested: 'chat', costMicros, ...over });
const projectCounter = async () => redis.client.get(`slipway:gw:{${org}}:p1:budget:project:p1:d${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`);
const ok = (d: LimitDecision) => {
  if (!d.ok) throw new Error(`expected a reservation, got ${JSON.stringify(d)}`);
  return d.reservation;
};

/** A request as the engine makes it: reserve, settle to the real cost, record its usage event. */
async function call(costMicros: number, estimate = costMicros): Promise<void> {
  const reservation = ok(await limits.reserve(DAILY_DOLLAR, subject(), { costMicros: estimate, tokens: 10 }));
  await limits.settle(reservation, { costMicros, tokens: 10 });
  recorder.record(spend(costMicros));
}

describe('budget counters lost in Redis are rebuilt from the durable usage records', () => {
  it('keeps a spent budget spent: rows in PostgreSQL, entries pending with a worker and entries not yet read all count, once', async () => {
    await call(300_000);
    await call(200_000);
    await recorder.flush();
    expect(await consumer.pollOnce()).toBeGreaterThan(0); // written to PostgreSQL and acked
    await call(150_000);
    await recorder.flush();
    // A worker read this entry and died before writing it: pending in the group.
    const crashed = new StreamGroupReader(redis, { stream: STREAM, group: USAGE_CONSUMER_GROUP, consumer: 'worker-crashed' });
    expect(await crashed.read({ pending: false, count: 10, blockMs: 10 })).toHaveLength(1);
    crashed.close();
    await call(250_000);
    await recorder.flush(); // not read by anyone yet
    // Spend that must not count: another project, another organization, yesterday.
    recorder.record(spend(900_000, { projectId: 'p2' }));
    recorder.record(spend(900_000, { organizationId: `org-${randomUUID()}` }));
    recorder.record(spend(900_000, { at: new Date(Date.now() - 86_400_000).toISOString() }));
    await recorder.flush();
    expect(await projectCounter()).toBe('900000');

    expect(await loseCounters()).toBeGreaterThan(0);
    const refused = await limits.reserve(DAILY_DOLLAR, subject(), { costMicros: 200_000, tokens: 10 });
    expect(refused).toMatchObject({ ok: false, kind: 'budget', action: 'block', limitName: 'daily' });
    expect(!refused.ok && refused.action === 'block' && refused.message).toContain('has $0.10 left');
    expect(await projectCounter()).toBe('900000');
    ok(await limits.reserve(DAILY_DOLLAR, subject(), { costMicros: 100_000, tokens: 10 }));
    expect(await limits.reserve(DAILY_DOLLAR, subject(), { costMicros: 0, tokens: 10 })).toMatchObject({ ok: false, kind: 'budget' });
  });

  it('counts an event once when the worker writes it between the read of the stream and the read of PostgreSQL', async () => {
    await call(400_000);
    await recorder.flush();
    await loseCounters();
    // The worker commits (and acks) the entry while the rebuild is between its two reads.
    const original = (durable as unknown as { repository: { spendSince: (...a: unknown[]) => Promise<unknown> } }).repository;
    const spendSince = original.spendSince.bind(original);
    const spy = vi.spyOn(original, 'spendSince').mockImplementationOnce(async (...args: unknown[]) => {
      await consumer.pollOnce();
      return spendSince(...args);
    });
    try {
      ok(await limits.reserve(DAILY_DOLLAR, subject(), { costMicros: 1_000, tokens: 10 }));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(await projectCounter()).toBe('401000');
    } finally {
      spy.mockRestore();
    }
  });

  it('rebuilds once under concurrent requests: the spend is never counted twice and the budget lets exactly what fits through', async () => {
    await call(900_000);
    await recorder.flush();
    await consumer.pollOnce();
    await loseCounters();
    const spent = vi.spyOn(durable, 'spent');
    // Two api processes, twenty concurrent requests each, all finding the counter missing.
    const otherProcess = new GatewayLimits(redis, durable);
    const requests = Array.from({ length: 40 }, (_, i) => (i % 2 ? limits : otherProcess).reserve(DAILY_DOLLAR, subject(), { costMicros: 10_000, tokens: 10 }));
    const decisions = await Promise.all(requests);
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
    expect(await projectCounter()).toBe('1000000');
    // One read of the durable records per process, not one per request.
    expect(spent.mock.calls.length).toBeLessThanOrEqual(2);
    spent.mockRestore();
  });

  it('settles a request reserved before the loss by its actual cost: the rebuilt counter never held its reservation', async () => {
    const early = ok(await limits.reserve(DAILY_DOLLAR, subject(), { costMicros: 600_000, tokens: 10 }));
    await loseCounters();
    // Another request finds the counter gone and rebuilds it: nothing is recorded yet, so it starts at 0.
    const later = ok(await limits.reserve(DAILY_DOLLAR, subject(), { costMicros: 100_000, tokens: 10 }));
    expect(await projectCounter()).toBe('100000');
    await limits.settle(early, { costMicros: 450_000, tokens: 10 }); // + its actual, not −150,000
    await limits.settle(later, { costMicros: 50_000, tokens: 10 }); // made after the rebuild: − 50,000
    expect(await projectCounter()).toBe('500000');
  });

  it('rebuilds per-customer and key budgets from their own spend', async () => {
    const config = gatewayConfigSchema.parse({ budgets: [{ name: 'per-customer', scope: 'customer', period: 'month', limitUsd: 0.5 }] });
    const acme = subject({ attribution: { feature: null, customer: 'acme' }, monthlyKeyBudgetMicros: 2_000_000 });
    recorder.record(spend(450_000, { customer: 'acme' }));
    recorder.record(spend(300_000, { customer: 'globex' }));
    recorder.record(spend(1_000_000, { customer: 'globex', keyId: 'k2' }));
    await recorder.flush();
    await consumer.pollOnce();
    recorder.record(spend(40_000, { customer: 'acme' }));
    await recorder.flush();
    expect(await limits.reserve(config, acme, { costMicros: 20_000, tokens: 10 })).toMatchObject({ ok: false, limitName: 'per-customer' });
    const month = new Date().toISOString().slice(0, 7).replace('-', '');
    expect(await redis.client.get(`slipway:gw:{${org}}:p1:budget:customer:acme:m${month}`)).toBe('490000');
    expect(await redis.client.get(`slipway:gw:{${org}}:p1:budget:key:k1:m${month}`)).toBe('790000');
  });
});

describe('budgets fail closed when neither Redis nor PostgreSQL can answer', () => {
  it('refuses a budgeted request when its counter is gone and PostgreSQL does not answer, and reserves nothing', async () => {
    const databaseDown = { spent: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:54329')) } as unknown as DurableSpend;
    const decision = await new GatewayLimits(redis, databaseDown).reserve(DAILY_DOLLAR, subject(), { costMicros: 1_000, tokens: 10 });
    expect(decision).toMatchObject({ ok: false, kind: 'unavailable', action: 'block', retryAfterSeconds: 5 });
    expect(!decision.ok && decision.action === 'block' && decision.message).toContain('could not be read from PostgreSQL');
    expect(await projectCounter()).toBeNull();
  });

  it('refuses a budgeted request when Redis does not answer, and still lets an unbudgeted one through', async () => {
    const gone = new RedisService({ REDIS_URL: 'redis://127.0.0.1:1' } as Config);
    try {
      const down = new GatewayLimits(gone, durable);
      expect(await down.reserve(DAILY_DOLLAR, subject(), { costMicros: 1_000, tokens: 10 })).toMatchObject({ ok: false, kind: 'unavailable' });
      const rateOnly = gatewayConfigSchema.parse({ limits: { key: { requestsPerMinute: 5 } } });
      expect(await down.reserve(rateOnly, subject(), { costMicros: 1_000, tokens: 10 })).toMatchObject({ ok: true });
    } finally {
      await gone.onModuleDestroy();
    }
  });
});
