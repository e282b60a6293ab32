import type { MarketplaceUsageEvent } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { UsageMeter, type UsageSink } from './usage-meter';

const event = (n: number) => ({ id: `e${n}` }) as unknown as MarketplaceUsageEvent;

class FakeSink implements UsageSink {
  batches: string[][] = [];
  failing = false;
  async appendUsage(events: readonly MarketplaceUsageEvent[]): Promise<void> {
    if (this.failing) throw new Error('redis down');
    this.batches.push(events.map((e) => e.id));
  }
}

describe('UsageMeter', () => {
  it('appends within the interval, in batches of at most batchSize, one append per batch', async () => {
    const sink = new FakeSink();
    const meter = new UsageMeter(sink, { intervalMs: 20, batchSize: 3 });
    for (let i = 0; i < 7; i++) meter.record(event(i));
    await new Promise((r) => setTimeout(r, 60));
    expect(sink.batches).toEqual([['e0', 'e1', 'e2'], ['e3', 'e4', 'e5'], ['e6']]);
    expect(meter.appended).toBe(7);
  });

  it('keeps a batch whose append failed, in order, and appends it once Redis is back', async () => {
    const sink = new FakeSink();
    sink.failing = true;
    const errors: number[] = [];
    const meter = new UsageMeter(sink, { intervalMs: 10, onError: (_e, pending) => errors.push(pending) });
    meter.record(event(1));
    meter.record(event(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.length).toBeGreaterThan(0);
    expect(meter.pending).toBe(2);
    meter.record(event(3));
    sink.failing = false;
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.batches.flat()).toEqual(['e1', 'e2', 'e3']);
    expect(meter.pending).toBe(0);
  });

  it('stops accepting new calls when the backlog is full, and again once it drained', async () => {
    const sink = new FakeSink();
    sink.failing = true;
    const meter = new UsageMeter(sink, { intervalMs: 10, maxPending: 3 });
    for (let i = 0; i < 3; i++) meter.record(event(i));
    expect(meter.accepting).toBe(false);
    sink.failing = false;
    await meter.flush();
    expect(meter.accepting).toBe(true);
  });

  it('flushes what is left on stop, and says how many it could not append', async () => {
    const sink = new FakeSink();
    const meter = new UsageMeter(sink, { intervalMs: 10_000 });
    meter.record(event(1));
    expect(await meter.stop(500)).toBe(0);
    expect(sink.batches).toEqual([['e1']]);
    const down = new FakeSink();
    down.failing = true;
    const stuck = new UsageMeter(down, { intervalMs: 10_000 });
    stuck.record(event(2));
    expect(await stuck.stop(150)).toBe(1);
  });
});
