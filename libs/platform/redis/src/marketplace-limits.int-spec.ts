import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeMarketplaceLimits, type MarketplaceCounter } from './marketplace-limits';

// Keys of their own (random subscription ids) in a db of their own; nothing is flushed.
const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:63799');
url.pathname = '/6';
let redis: Redis;

beforeAll(() => {
  redis = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
});
afterAll(() => redis.disconnect());

const sub = () => `sub_${randomUUID()}`;
const counter = (id: string, name: string, limit: number): MarketplaceCounter => ({ key: `slipway:mkt:rl:{${id}}:${name}:1`, limit, ttlSeconds: 120 });
const value = async (key: string) => Number((await redis.get(key)) ?? 0);

describe('the marketplace limit script against Redis', () => {
  it('admits exactly the quota in a sequential burst, then refuses without moving any counter', async () => {
    const id = sub();
    const minute = counter(id, 'minute', 100);
    const month = counter(id, 'month', 7);
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await takeMarketplaceLimits(redis, { counters: [minute, month], weight: 1 }));
    expect(results.filter((r) => r.admitted)).toHaveLength(7);
    expect(results.slice(7).every((r) => !r.admitted && r.rejectedBy === 1)).toBe(true);
    expect(results[6]).toEqual({ admitted: true, used: [7, 7], balance: null });
    expect(await value(minute.key)).toBe(7); // the refused calls did not count against the minute either
    expect(await value(month.key)).toBe(7);
    expect(await redis.ttl(minute.key)).toBeGreaterThan(100);
  });

  it('admits exactly 50 of 200 concurrent calls against a quota of 50, and no counter ever passes it', async () => {
    const id = sub();
    const second = counter(id, 'second', 1_000);
    const month = counter(id, 'month', 50);
    const results = await Promise.all(Array.from({ length: 200 }, () => takeMarketplaceLimits(redis, { counters: [second, month], weight: 1 })));
    const admitted = results.filter((r) => r.admitted);
    expect(admitted).toHaveLength(50);
    expect(Math.max(...results.flatMap((r) => r.used))).toBeLessThanOrEqual(50);
    expect(new Set(admitted.map((r) => r.used[1])).size).toBe(50); // each admitted call saw its own count: 1…50
    expect(await value(second.key)).toBe(50);
    expect(await value(month.key)).toBe(50);
  });

  it('refuses a call whose weight does not fit what is left, and moves nothing', async () => {
    const id = sub();
    const day = counter(id, 'day', 10);
    const minute = counter(id, 'minute', 100);
    expect((await takeMarketplaceLimits(redis, { counters: [minute, day], weight: 8 })).admitted).toBe(true);
    expect(await takeMarketplaceLimits(redis, { counters: [minute, day], weight: 5 })).toEqual({ admitted: false, rejectedBy: 1, used: [8, 8], balance: null });
    expect(await value(minute.key)).toBe(8);
    expect(await value(day.key)).toBe(8);
    expect((await takeMarketplaceLimits(redis, { counters: [minute, day], weight: 2 })).admitted).toBe(true);
  });

  it('takes the price from the balance until exactly spent, then refuses with the counters untouched', async () => {
    const id = sub();
    const balanceKey = `slipway:mkt:balance:{${id}}`;
    await redis.set(balanceKey, 3_000);
    const minute = counter(id, 'minute', 100);
    const take = { counters: [minute], weight: 1, balance: { key: balanceKey, costMicros: 1_000 } };
    for (let left = 2_000; left >= 0; left -= 1_000) expect(await takeMarketplaceLimits(redis, take)).toEqual({ admitted: true, used: [3_000 / 1_000 - left / 1_000], balance: left });
    expect(await takeMarketplaceLimits(redis, take)).toEqual({ admitted: false, rejectedBy: 'balance', used: [3], balance: 0 });
    expect(await value(minute.key)).toBe(3);
    expect(await value(balanceKey)).toBe(0);
  });

  it('treats a missing balance as empty, and a full counter wins over the balance', async () => {
    const id = sub();
    const balance = { key: `slipway:mkt:balance:{${id}}`, costMicros: 1 };
    expect(await takeMarketplaceLimits(redis, { counters: [], weight: 1, balance })).toMatchObject({ admitted: false, rejectedBy: 'balance' });
    await redis.set(balance.key, 10);
    const full = counter(id, 'second', 1);
    await takeMarketplaceLimits(redis, { counters: [full], weight: 1, balance });
    expect(await takeMarketplaceLimits(redis, { counters: [full], weight: 1, balance })).toEqual({ admitted: false, rejectedBy: 0, used: [1], balance: 9 });
    expect(await value(balance.key)).toBe(9);
  });
});
