import { describe, expect, it, vi } from 'vitest';
import { RecordCache } from './record-cache';

const options = { max: 3, ttlMs: 60_000, negativeTtlMs: 5_000 };

describe('RecordCache', () => {
  it('loads once, then answers from memory; concurrent misses share one load', async () => {
    const load = vi.fn(async (id: string) => ({ id }));
    const cache = new RecordCache(options, load);
    const [a, b] = await Promise.all([cache.get('k'), cache.get('k')]);
    expect(a).toEqual({ id: 'k' });
    expect(b).toBe(a);
    await cache.get('k');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('remembers absence only for the negative TTL, presence for the TTL', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const found = new Set<string>();
    const load = vi.fn(async (id: string) => (found.has(id) ? { id } : null));
    const cache = new RecordCache({ max: 10, ttlMs: 400, negativeTtlMs: 60 }, load);
    expect(await cache.get('new')).toBeNull();
    found.add('new'); // the api created the key after a first failed try
    expect(await cache.get('new')).toBeNull();
    await sleep(80);
    expect(await cache.get('new')).toEqual({ id: 'new' });
    await sleep(100);
    expect(await cache.get('new')).toEqual({ id: 'new' });
    expect(load).toHaveBeenCalledTimes(2);
    await sleep(400);
    await cache.get('new');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('never caches a failed load', async () => {
    let fail = true;
    const cache = new RecordCache(options, async (id) => {
      if (fail) throw new Error('redis down');
      return { id };
    });
    await expect(cache.get('k')).rejects.toThrow('redis down');
    fail = false;
    expect(await cache.get('k')).toEqual({ id: 'k' });
  });

  it('drops an entry on delete, everything on clear, and evicts the least recently used past max', async () => {
    let version = 1;
    const load = vi.fn(async (id: string) => ({ id, version }));
    const cache = new RecordCache(options, load);
    await cache.get('a');
    version = 2;
    expect(await cache.get('a')).toEqual({ id: 'a', version: 1 });
    cache.delete('a');
    expect(await cache.get('a')).toEqual({ id: 'a', version: 2 });
    for (const id of ['b', 'c', 'd']) await cache.get(id);
    expect(cache.size).toBe(3);
    expect(cache.peek('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('keeps the answer of a load that raced an invalidation out of the cache', async () => {
    let release!: () => void;
    let version = 1;
    const cache = new RecordCache(options, async (id) => {
      const v = version;
      await new Promise<void>((r) => (release = r));
      return { id, v };
    });
    const pending = cache.get('k');
    cache.delete('k'); // revoked while the read was in flight
    version = 2;
    release();
    expect(await pending).toEqual({ id: 'k', v: 1 }); // that call raced the revoke anyway
    expect(cache.peek('k')).toBeUndefined();
    const next = cache.get('k');
    release();
    expect(await next).toEqual({ id: 'k', v: 2 });
  });
});
