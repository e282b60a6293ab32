import { LRUCache } from 'lru-cache';

export interface RecordCacheOptions {
  /** Most entries kept; the least recently used go first. */
  max: number;
  /** How long a found record is trusted without an invalidation (a safety net: invalidations drop entries at once). */
  ttlMs: number;
  /** How long "not found" is remembered: keys sprayed by an attacker cost one Redis read per key per this time, and a new key works within it. */
  negativeTtlMs: number;
}

interface Entry<T> {
  value: T | null;
}

/**
 * An in-process cache of Redis records (consumer keys by hash, subscriptions by id) in front
 * of a loader. Concurrent misses of one id share one load. A transient error is never cached
 * (the loader's rejection reaches every waiting caller). An invalidation that arrives while a
 * load runs keeps that load's answer out of the cache: it may have been read before the change.
 */
export class RecordCache<T> {
  private readonly lru: LRUCache<string, Entry<T>>;
  private readonly loading = new Map<string, Promise<T | null>>();
  /** Bumped by every invalidation; a load stores its answer only if none happened meanwhile. */
  private epoch = 0;

  constructor(
    private readonly options: RecordCacheOptions,
    private readonly load: (id: string) => Promise<T | null>,
  ) {
    this.lru = new LRUCache<string, Entry<T>>({ max: options.max, ttl: options.ttlMs });
  }

  /** The cached record (or cached absence), without loading; undefined when not cached. */
  peek(id: string): Entry<T> | undefined {
    return this.lru.get(id);
  }

  get(id: string): Promise<T | null> {
    const hit = this.lru.get(id);
    if (hit) return Promise.resolve(hit.value);
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.loadAndStore(id);
      this.loading.set(id, pending);
    }
    return pending;
  }

  delete(id: string): void {
    this.epoch++;
    this.lru.delete(id);
    this.loading.delete(id);
  }

  clear(): void {
    this.epoch++;
    this.lru.clear();
    this.loading.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  private async loadAndStore(id: string): Promise<T | null> {
    const started = this.epoch;
    try {
      const value = await this.load(id);
      if (this.epoch === started) this.lru.set(id, { value }, { ttl: value === null ? this.options.negativeTtlMs : this.options.ttlMs });
      return value;
    } finally {
      if (this.epoch === started) this.loading.delete(id);
    }
  }
}
