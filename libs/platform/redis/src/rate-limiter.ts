import { Injectable } from '@nestjs/common';
import { luaScript } from './lua-script';
import { RedisService } from './redis.service';

/** One fixed-window counter: at most `limit` takes per `windowSeconds` under `key`. */
export interface Counter {
  key: string;
  limit: number;
  windowSeconds: number;
}

export type TakeResult =
  | { allowed: true }
  /** `full`: the keys whose counter is at its limit; `retryAfterSeconds`: until the last of them resets. */
  | { allowed: false; full: string[]; retryAfterSeconds: number };

/**
 * Checks every counter and, only if none is full, increments them all — in one script, so
 * parallel callers are serialised by Redis: N parallel takes against a limit of L let exactly
 * L through. A refused take consumes nothing (one full counter must not use up the others).
 * KEYS: counters. ARGV: limit, windowSeconds per key. Returns {1} or {0, retryAfter, full…}.
 */
const TAKE = luaScript(`
local full = {}
local retry = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then
    full[#full + 1] = key
    local ttl = redis.call('TTL', key)
    if ttl < 1 then ttl = 1 end
    if ttl > retry then retry = ttl end
  end
end
if #full > 0 then return {0, retry, unpack(full)} end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, tonumber(ARGV[2 * i]), 'NX')
end
return {1}
`);

/** Gives one take back, if its window still runs (a missing key is not recreated without expiry). */
const GIVE_BACK = luaScript(`
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`);

/**
 * Fixed-window counters in Redis, shared by every api process: login throttling per account
 * and per client address, sign-up throttling per client address.
 */
@Injectable()
export class RateLimiter {
  constructor(private readonly redis: RedisService) {}

  /** All counters or none: see TAKE. */
  async take(counters: readonly Counter[]): Promise<TakeResult> {
    const args = counters.flatMap((c) => [c.limit, c.windowSeconds]);
    const res = (await this.redis.evalScript(
      TAKE,
      counters.map((c) => c.key),
      args,
    )) as [number, number?, ...string[]];
    if (res[0] === 1) return { allowed: true };
    const [, retryAfterSeconds = 1, ...full] = res;
    return { allowed: false, full, retryAfterSeconds };
  }

  /** Returns one take (an attempt that turned out not to count, e.g. a successful login). */
  async giveBack(key: string): Promise<void> {
    await this.redis.evalScript(GIVE_BACK, [key], []);
  }

  async reset(key: string): Promise<void> {
    await this.redis.client.del(key);
  }
}
