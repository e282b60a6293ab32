import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@slipway/config';
import { SCHEDULED_JOBS } from '@slipway/contracts';
import { JobSchedules } from './job-schedules';

/**
 * Scheduled work with several worker processes: each holds its own JobSchedules (own Redis
 * connections, own BullMQ Worker) and declares the same schedule at start, as every worker
 * process does. Real Redis (db 13, flushed first).
 */
const url = new URL(loadConfig().REDIS_URL);
url.pathname = '/13';
const REDIS_URL = url.toString();
const workers: JobSchedules[] = [];

beforeAll(async () => {
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.onModuleDestroy()));
});

describe('scheduled work on BullMQ job schedulers', () => {
  it('runs each interval once across two workers, and a pass slower than the interval delays the next instead of running beside it', async () => {
    const EVERY = 400;
    const runs: { by: string; start: number; end: number }[] = [];
    let passes = 0;
    let running = 0;
    let overlaps = 0;
    const pass = (by: string) => async () => {
      const n = ++passes;
      if (++running > 1) overlaps++;
      const start = Date.now();
      // The third pass takes three intervals.
      await sleep(n === 3 ? 3 * EVERY : 20);
      running--;
      runs.push({ by, start, end: Date.now() });
    };
    const a = new JobSchedules({ REDIS_URL });
    const b = new JobSchedules({ REDIS_URL });
    workers.push(a, b);
    const started = Date.now();
    await Promise.all([a.schedule('reconcile', pass('a'), { everyMs: EVERY }), b.schedule('reconcile', pass('b'), { everyMs: EVERY })]);
    await sleep(4_000);
    await Promise.all([a.onModuleDestroy(), b.onModuleDestroy()]);
    const elapsed = Date.now() - started;

    expect(overlaps).toBe(0);
    // Two workers with a timer each would run every interval twice.
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / EVERY) + 1);
    const byStart = [...runs].sort((x, y) => x.start - y.start);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.start).toBeGreaterThanOrEqual(byStart[i - 1]!.end);
  }, 30_000);

  it('removes a schedule turned off by a setting: no scheduler and no job waiting are left in Redis', async () => {
    const a = new JobSchedules({ REDIS_URL });
    workers.push(a);
    await a.schedule('otlp-export', async () => undefined, { everyMs: 60_000 });
    await a.onModuleDestroy();
    const queue = new Queue(SCHEDULED_JOBS['otlp-export'].queue, { connection: { url: REDIS_URL } });
    try {
      expect(await queue.getJobSchedulers()).toHaveLength(1);
      await new JobSchedules({ REDIS_URL }).unschedule('otlp-export');
      expect(await queue.getJobSchedulers()).toHaveLength(0);
      expect(await queue.getJobCounts('delayed', 'waiting', 'prioritized')).toEqual({ delayed: 0, waiting: 0, prioritized: 0 });
    } finally {
      await queue.close();
    }
  }, 30_000);
});
