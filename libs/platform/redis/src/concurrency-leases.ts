import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { luaScript } from './lua-script';
import { RedisService } from './redis.service';

/** One held place under a key; give it back with `release` (idempotent). */
export interface Lease {
  release(): Promise<void>;
}

/**
 * A lease is a member of a sorted set scored by its expiry (Redis' clock, so api processes with
 * skewed clocks agree). Expired members are dropped first, then the set is counted: at the limit
 * nothing is added. One script, so N parallel acquires against a limit of L let exactly L in.
 * KEYS: the set. ARGV: limit, ttl in ms, member. Returns 1 (taken) or 0 (full).
 */
const ACQUIRE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`);

/** Pushes a held lease's expiry forward (only if it is still held: XX). KEYS: the set. ARGV: ttl in ms, member. */
const RENEW = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return renewed
`);

/**
 * Counts things held open at once (live log streams of one user), shared by every api process.
 * A lease lasts `ttlSeconds` and is renewed every third of it while its holder runs, so a process
 * that dies without releasing its leases frees them within `ttlSeconds`.
 */
@Injectable()
export class ConcurrencyLeases {
  constructor(private readonly redis: RedisService) {}

  /** A lease under `key` if fewer than `limit` are held, else null. */
  async acquire(key: string, limit: number, ttlSeconds: number): Promise<Lease | null> {
    const member = randomUUID();
    const ttlMs = ttlSeconds * 1000;
    const taken = Number(await this.redis.evalScript(ACQUIRE, [key], [limit, ttlMs, member]));
    if (taken !== 1) return null;
    const renewal = setInterval(
      () => {
        this.redis.evalScript(RENEW, [key], [ttlMs, member]).catch(() => undefined);
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
    renewal.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        await this.redis.client.zrem(key, member);
      },
    };
  }

  /** How many leases are held under `key` now (expired ones not counted). */
  async held(key: string): Promise<number> {
    return this.redis.client.zcount(key, Date.now(), '+inf');
  }
}
