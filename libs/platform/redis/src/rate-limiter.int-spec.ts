import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '@slipway/config';
import { RateLimiter } from './rate-limiter';
import { RedisService } from './redis.service';

let redis: RedisService;
let limiter: RateLimiter;
const key = (name: string) => `test:rate-limiter:${name}:${randomUUID()}`;

beforeAll(() => {
  const url = new URL(loadConfig().REDIS_URL);
  url.pathname = '/11';
  redis = new RedisService({ REDIS_URL: url.toString() } as Config);
  limiter = new RateLimiter(redis);
});
afterAll(() => redis.onModuleDestroy());

describe('RateLimiter.take against Redis', () => {
  it('lets exactly `limit` of 50 parallel takes through, however they interleave', async () => {
    const counter = { key: key('parallel'), limit: 10, windowSeconds: 60 };
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.take([counter])));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const refused = results.filter((r) => !r.allowed);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r).toEqual({ allowed: false, full: [counter.key], retryAfterSeconds: expect.any(Number) });
    expect(Number(await redis.client.get(counter.key))).toBe(10);
  });

  it('takes from every counter or from none: a full one leaves the others untouched', async () => {
    const account = { key: key('account'), limit: 2, windowSeconds: 60 };
    const address = { key: key('address'), limit: 100, windowSeconds: 60 };
    await limiter.take([account, address]);
    await limiter.take([account, address]);
    const refused = await limiter.take([account, address]);
    expect(refused).toMatchObject({ allowed: false, full: [account.key] });
    expect(Number(await redis.client.get(address.key))).toBe(2);
  });

  it('says how long until the fullest counter resets, and opens again after its window', async () => {
    const counter = { key: key('window'), limit: 1, windowSeconds: 1 };
    expect(await limiter.take([counter])).toEqual({ allowed: true });
    const refused = await limiter.take([counter]);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    await sleep(1_100);
    expect(await limiter.take([counter])).toEqual({ allowed: true });
  });

  it('gives one take back, but never recreates an expired counter without its window', async () => {
    const counter = { key: key('give-back'), limit: 1, windowSeconds: 60 };
    await limiter.take([counter]);
    await limiter.giveBack(counter.key);
    expect(await limiter.take([counter])).toEqual({ allowed: true });
    const gone = key('gone');
    await limiter.giveBack(gone);
    expect(await redis.client.exists(gone)).toBe(0);
  });
});
