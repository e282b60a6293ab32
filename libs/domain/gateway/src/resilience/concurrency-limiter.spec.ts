import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyLimiter, ConcurrencyRejected, LimiterRegistry } from './concurrency-limiter';

class FakeClock {
  t = 0;
  now(): number {
    return this.t;
  }
}

const setup = (opts: Partial<ConstructorParameters<typeof ConcurrencyLimiter>[0]> = {}) => {
  const clock = new FakeClock();
  const limiter = new ConcurrencyLimiter({ limit: 2, queueSize: 3, queueTimeoutMs: 1_000, ...opts }, clock);
  return { clock, limiter };
};

const take = (limiter: ConcurrencyLimiter) => {
  const release = limiter.tryAcquire();
  if (!release) throw new Error('expected a free slot');
  return release;
};

describe('ConcurrencyLimiter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets at most `limit` calls in at once', async () => {
    const { limiter } = setup();
    const first = take(limiter);
    take(limiter);
    expect(limiter.tryAcquire()).toBeNull();
    expect(limiter.inFlight).toBe(2);
    first();
    expect(limiter.inFlight).toBe(1);
    await expect(limiter.acquire()).resolves.toBeTypeOf('function');
    expect(limiter.inFlight).toBe(2);
  });

  it('serves waiters in arrival order, and tryAcquire does not jump the line', async () => {
    const { limiter } = setup({ limit: 1 });
    let release = take(limiter);
    const served: number[] = [];
    const waiting = [1, 2, 3].map((n) => limiter.acquire().then((r) => (served.push(n), r)));
    expect(limiter.queued).toBe(3);
    for (let i = 0; i < 3; i++) {
      release();
      expect(limiter.tryAcquire()).toBeNull();
      release = await waiting[i]!;
    }
    expect(served).toEqual([1, 2, 3]);
    expect(limiter.inFlight).toBe(1);
    expect(limiter.queued).toBe(0);
  });

  it('rejects with queue_full and a retry-after from recent hold times once the queue is full', async () => {
    const { clock, limiter } = setup({ limit: 1, queueSize: 1 });
    const release = take(limiter);
    clock.t += 3_000;
    release(); // one call held its slot 3 s
    take(limiter);
    void limiter.acquire().catch(() => undefined);
    const error = await limiter.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyRejected);
    // One waiter ahead plus this caller, one slot, 3 s each.
    expect(error).toMatchObject({ reason: 'queue_full', retryAfterSeconds: 6 });
  });

  it('asks to retry after at least 1 s when it has no hold times yet', async () => {
    const { limiter } = setup({ limit: 1, queueSize: 0 });
    take(limiter);
    await expect(limiter.acquire()).rejects.toMatchObject({ reason: 'queue_full', retryAfterSeconds: 1 });
  });

  it('rejects a waiter with queue_timeout after queueTimeoutMs and takes it out of the queue', async () => {
    const { limiter } = setup({ limit: 1 });
    take(limiter);
    const waiting = limiter.acquire();
    const outcome = waiting.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(limiter.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ reason: 'queue_timeout', retryAfterSeconds: 1 });
    expect(limiter.queued).toBe(0);
  });

  it('removes an aborted waiter; the freed slot goes to the next one', async () => {
    const { limiter } = setup({ limit: 1 });
    const release = take(limiter);
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal).catch((e: unknown) => e);
    const next = limiter.acquire();
    controller.abort();
    expect(await aborted).toMatchObject({ name: 'AbortError' });
    expect(limiter.queued).toBe(1);
    release();
    await expect(next).resolves.toBeTypeOf('function');
    expect(limiter.inFlight).toBe(1);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { limiter } = setup();
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(limiter.inFlight).toBe(0);
  });

  it('ignores a second call of the same release', async () => {
    const { limiter } = setup({ limit: 1 });
    const release = take(limiter);
    const waiter = limiter.acquire();
    release();
    release();
    await waiter;
    expect(limiter.inFlight).toBe(1);
    expect(limiter.tryAcquire()).toBeNull();
  });

  it('rejects a limit below 1', () => {
    expect(() => new ConcurrencyLimiter({ limit: 0, queueSize: 1, queueTimeoutMs: 1 })).toThrow(RangeError);
  });
});

describe('LimiterRegistry', () => {
  it('keeps one limiter per provider, each with its own slots', () => {
    const registry = new LimiterRegistry({ limit: 1, queueSize: 0, queueTimeoutMs: 100 });
    expect(registry.get('anthropic')).toBe(registry.get('anthropic'));
    expect(registry.get('anthropic').tryAcquire()).not.toBeNull();
    expect(registry.get('anthropic').tryAcquire()).toBeNull();
    expect(registry.get('openai').tryAcquire()).not.toBeNull();
  });
});
