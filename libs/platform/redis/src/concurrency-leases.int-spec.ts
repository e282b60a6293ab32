import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '@slipway/config';
import { ConcurrencyLeases } from './concurrency-leases';
import { RedisService } from './redis.service';

let redis: RedisService;
let leases: ConcurrencyLeases;
const key = (name: string) => `test:leases:${name}:${randomUUID()}`;

beforeAll(() => {
  const url = new URL(loadConfig().REDIS_URL);
  url.pathname = '/11';
  redis = new RedisService({ REDIS_URL: url.toString() } as Config);
  leases = new ConcurrencyLeases(redis);
});
afterAll(() => redis.onModuleDestroy());

describe('ConcurrencyLeases against Redis', () => {
  it('lets exactly `limit` of 30 parallel acquires in, and a released place is taken again', async () => {
    const k = key('parallel');
    const results = await Promise.all(Array.from({ length: 30 }, () => leases.acquire(k, 8, 60)));
    const held = results.filter((l) => l !== null);
    expect(held).toHaveLength(8);
    expect(await leases.held(k)).toBe(8);
    expect(await leases.acquire(k, 8, 60)).toBeNull();
    await held[0]!.release();
    await held[0]!.release(); // idempotent: gives back one place, not two
    const again = await leases.acquire(k, 8, 60);
    expect(again).not.toBeNull();
    expect(await leases.acquire(k, 8, 60)).toBeNull();
    await Promise.all([...held, again!].map((l) => l.release()));
    expect(await leases.held(k)).toBe(0);
  });

  it('frees the place of a holder that died without releasing once its lease expires', async () => {
    const k = key('crash');
    // A process that died: its lease is never renewed nor released.
    await redis.client.zadd(k, Date.now() + 1_000, 'dead-process-stream');
    expect(await leases.acquire(k, 1, 60)).toBeNull();
    await sleep(1_100);
    const lease = await leases.acquire(k, 1, 60);
    expect(lease).not.toBeNull();
    await lease!.release();
  });

  it('keeps a held lease alive past its ttl by renewing it', async () => {
    const k = key('renew');
    const lease = await leases.acquire(k, 1, 1);
    await sleep(2_500);
    expect(await leases.acquire(k, 1, 1)).toBeNull();
    await lease!.release();
    expect(await leases.acquire(k, 1, 1)).not.toBeNull();
  });
});
