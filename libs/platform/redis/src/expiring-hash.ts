import type { RedisService } from './redis.service';

/**
 * A small Redis hash that lives `ttlSeconds` past its last write: state a periodic job hands to
 * its next pass, whichever worker runs it (the resource sampler's previous CPU counters and its
 * events cursor). Replaced as a whole, so entries of things that are gone do not pile up.
 */
export class ExpiringHash {
  constructor(
    private readonly redis: RedisService,
    readonly key: string,
    private readonly ttlSeconds: number,
  ) {}

  async readAll(): Promise<Record<string, string>> {
    return this.redis.client.hgetall(this.key);
  }

  /** Replaces every field at once (an empty record deletes the hash). */
  async replaceAll(fields: Record<string, string>): Promise<void> {
    const multi = this.redis.client.multi().del(this.key);
    if (Object.keys(fields).length > 0) multi.hset(this.key, fields).expire(this.key, this.ttlSeconds);
    await multi.exec();
  }
}
