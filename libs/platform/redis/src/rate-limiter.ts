import { Injectable } from '@nestjs/common';
import { RedisService } from './redis.service';

export interface Hits {
  count: number;
  /** Seconds until the window resets. */
  resetIn: number;
}

/**
 * Fixed-window counters in Redis (INCR + EXPIRE in one MULTI), shared by every api process.
 * Used for login throttling per account and per IP.
 */
@Injectable()
export class RateLimiter {
  constructor(private readonly redis: RedisService) {}

  async peek(key: string): Promise<Hits> {
    const [count, ttl] = await Promise.all([this.redis.client.get(key), this.redis.client.ttl(key)]);
    return { count: Number(count ?? 0), resetIn: Math.max(ttl, 0) };
  }

  async hit(key: string, windowSeconds: number): Promise<Hits> {
    const res = await this.redis.client.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
    const count = Number(res?.[0]?.[1] ?? 0);
    const ttl = Number(res?.[2]?.[1] ?? windowSeconds);
    return { count, resetIn: Math.max(ttl, 0) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.client.del(key);
  }
}
