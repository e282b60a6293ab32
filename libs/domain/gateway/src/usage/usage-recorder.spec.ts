import { describe, expect, it, vi } from 'vitest';
import type { UsageEvent } from '@slipway/contracts';
import type { RedisService } from '@slipway/redis';
import { usageEvent } from '@slipway/testing';
import { GatewayMetrics } from './gateway-metrics';
import { FLUSH_BATCH, UsageRecorder } from './usage-recorder';
import { EVENTS_PER_ENTRY } from './usage-stream';

/**
 * Redis as the recorder sees it: `fail` decides, per call, which payload indexes it refuses (or
 * throws); the stream's length is what was stored minus what `consume` took (the worker).
 */
function fakeRedis(fail: (call: number, payloads: readonly string[]) => number[] | 'throw' = () => []) {
  const stored: UsageEvent[] = [];
  let entries = 0;
  let calls = 0;
  const redis = {
    async xaddBatch(_stream: string, _field: string, payloads: readonly string[]): Promise<{ failed: number[]; length: number }> {
      if (payloads.length === 0) return { failed: [], length: entries }; // XLEN alone
      const outcome = fail(calls++, payloads);
      if (outcome === 'throw') throw new Error('connection lost');
      payloads.forEach((p, i) => outcome.includes(i) || (entries++, stored.push(...(JSON.parse(p) as UsageEvent[]))));
      return { failed: outcome, length: entries };
    },
  };
  return { redis: redis as unknown as RedisService, stored, calls: () => calls, consume: () => (entries = 0) };
}

const dropped = async (m: GatewayMetrics) => Number(/slipway_gateway_usage_events_dropped_total (\d+)/.exec((await m.render()))?.[1] ?? 0);

describe('UsageRecorder', () => {
  it('packs events into stream entries of EVENTS_PER_ENTRY', async () => {
    const sizes: number[] = [];
    const redis = {
      xaddBatch: async (_s: string, _f: string, payloads: readonly string[]) => (sizes.push(...payloads.map((p) => (JSON.parse(p) as unknown[]).length)), { failed: [], length: 0 }),
    };
    const recorder = new UsageRecorder(redis as unknown as RedisService, new GatewayMetrics(), 'test');
    for (let i = 0; i < EVENTS_PER_ENTRY * 2 + 5; i++) recorder.record(usageEvent());
    await recorder.flush();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(EVENTS_PER_ENTRY * 2 + 5);
    expect(Math.max(...sizes)).toBe(EVENTS_PER_ENTRY);
  });

  it('sends a full batch in one call without waiting for the timer', async () => {
    const fake = fakeRedis();
    const recorder = new UsageRecorder(fake.redis, new GatewayMetrics(), 'test');
    for (let i = 0; i < FLUSH_BATCH; i++) recorder.record(usageEvent());
    await Promise.resolve();
    expect(fake.calls()).toBe(1);
    await recorder.flush();
    expect(fake.stored).toHaveLength(FLUSH_BATCH);
  });

  it('keeps events while Redis is unreachable and sends each once when it is back', async () => {
    const fake = fakeRedis((call) => (call === 0 ? 'throw' : []));
    const recorder = new UsageRecorder(fake.redis, new GatewayMetrics(), 'test');
    const events = [usageEvent(), usageEvent(), usageEvent()];
    for (const e of events) recorder.record(e);
    await recorder.flush(); // refused
    expect(fake.stored).toEqual([]);
    await recorder.flush();
    expect(fake.stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('sends again only the entries Redis did not take', async () => {
    const fake = fakeRedis((call) => (call === 0 ? [1] : []));
    const recorder = new UsageRecorder(fake.redis, new GatewayMetrics(), 'test');
    const events = Array.from({ length: EVENTS_PER_ENTRY + 20 }, () => usageEvent());
    for (const e of events) recorder.record(e);
    await recorder.flush();
    await recorder.flush();
    expect(fake.stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('bounds what it holds during a long outage, dropping old events and counting them', async () => {
    const fake = fakeRedis(() => 'throw');
    const metrics = new GatewayMetrics();
    const recorder = new UsageRecorder(fake.redis, metrics, 'test');
    for (let i = 0; i < 60_000; i++) recorder.record(usageEvent({ id: `e${i}` }));
    expect(await dropped(metrics)).toBeGreaterThan(0);
    const healthy = fakeRedis();
    Object.assign(fake.redis, { xaddBatch: healthy.redis.xaddBatch.bind(healthy.redis) });
    await recorder.flush();
    expect(healthy.stored.length + (await dropped(metrics))).toBe(60_000);
    expect(healthy.stored.length).toBeLessThanOrEqual(50_000);
    expect(healthy.stored.at(-1)?.id).toBe('e59999');
  });

  it('counts every recorded request in the metrics at once, before any flush', async () => {
    const metrics = new GatewayMetrics();
    const recorder = new UsageRecorder(fakeRedis().redis, metrics, 'test');
    recorder.record(usageEvent());
    expect((await metrics.render())).toMatch(/slipway_gateway_requests_total\{[^}]*status="200"[^}]*\} 1/);
  });

  it('refuses new calls once the stream holds GATEWAY_USAGE_BACKLOG_MAX_ENTRIES, keeps every record, and lets calls in again when the worker caught up', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeRedis();
      const metrics = new GatewayMetrics();
      const recorder = new UsageRecorder(fake.redis, metrics, 'test', { GATEWAY_USAGE_BACKLOG_MAX_ENTRIES: 3 });
      for (let i = 0; i < EVENTS_PER_ENTRY * 3; i++) recorder.record(usageEvent({ id: `e${i}` }));
      expect(recorder.backPressure()).toBeNull();
      await recorder.flush(); // three entries: the stream is at its bound
      expect(recorder.backPressure()).toMatchObject({ retryAfterSeconds: 5, message: expect.stringContaining('GATEWAY_USAGE_BACKLOG_MAX_ENTRIES') });
      recorder.record(usageEvent({ id: 'accepted-before' })); // a call already let in still gets its record
      await recorder.flush();
      expect(fake.stored.map((e) => e.id)).toContain('accepted-before');
      expect((await metrics.render())).toMatch(/slipway_gateway_usage_backpressure_total 1/);
      expect((await metrics.render())).toMatch(/slipway_gateway_usage_backlog_entries 4/);
      fake.consume(); // the worker wrote and trimmed everything
      await vi.advanceTimersByTimeAsync(1_100); // no call comes in: the probe looks at the stream
      expect(recorder.backPressure()).toBeNull();
      expect(await dropped(metrics)).toBe(0);
      await recorder.onModuleDestroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses new calls while events pile up in memory because Redis does not take them, long before any is dropped', async () => {
    const fake = fakeRedis(() => 'throw');
    const metrics = new GatewayMetrics();
    const recorder = new UsageRecorder(fake.redis, metrics, 'test');
    for (let i = 0; i < 27_000; i++) recorder.record(usageEvent()); // one batch of 1,000 is in flight
    expect(recorder.backPressure()).toMatchObject({ message: expect.stringContaining('Redis is not taking') });
    expect(await dropped(metrics)).toBe(0);
    await recorder.onModuleDestroy();
  });

  it('recordDurably resolves once Redis holds the event, not on a timer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fake = fakeRedis();
    const slow = { xaddBatch: async (...a: Parameters<typeof fake.redis.xaddBatch>) => (await gate, fake.redis.xaddBatch(...a)) };
    const recorder = new UsageRecorder(slow as unknown as RedisService, new GatewayMetrics(), 'test');
    const event = usageEvent();
    let done = false;
    const written = recorder.recordDurably(event, 10_000).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 80)); // past the 50 ms batch timer: still waiting for Redis
    expect(done).toBe(false);
    expect(fake.stored).toEqual([]);
    release();
    await written;
    expect(fake.stored.map((e) => e.id)).toEqual([event.id]);
  });

  it('recordDurably sends events recorded during a round trip in the next one at once (group commit)', async () => {
    const fake = fakeRedis();
    const recorder = new UsageRecorder(fake.redis, new GatewayMetrics(), 'test');
    const events = [usageEvent(), usageEvent(), usageEvent()];
    const started = Date.now();
    await Promise.all(events.map((e) => recorder.recordDurably(e, 10_000)));
    expect(Date.now() - started).toBeLessThan(40); // no 50 ms timer in the way
    expect(fake.stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('recordDurably does not hold answers while Redis refuses, and keeps the event for later', async () => {
    const fake = fakeRedis((call) => (call === 0 ? 'throw' : []));
    const recorder = new UsageRecorder(fake.redis, new GatewayMetrics(), 'test');
    const first = usageEvent();
    await recorder.recordDurably(first, 10_000); // refused: goes on at once
    const second = usageEvent();
    const started = Date.now();
    await recorder.recordDurably(second, 10_000); // Redis is refusing: no wait at all
    expect(Date.now() - started).toBeLessThan(20);
    await recorder.flush();
    expect(fake.stored.map((e) => e.id)).toEqual([first.id, second.id]);
  });
});
