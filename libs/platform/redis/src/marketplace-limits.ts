import type { Redis } from 'ioredis';
import { evalLua, luaScript } from './lua-script';

/** One fixed window of a plan's limits: at most `limit` weight units under `key` until it expires. */
export interface MarketplaceCounter {
  key: string;
  limit: number;
  /** Expiry set when the window's counter is created (the window's end plus some slack). */
  ttlSeconds: number;
}

export interface MarketplaceTake {
  /** Every window that applies to this call; all are checked before any moves. */
  counters: readonly MarketplaceCounter[];
  /** Units one call uses (the operation's weight). */
  weight: number;
  /** Take `costMicros` from this balance too (prepaid credits or spend-cap headroom); omitted for test keys. */
  balance?: { key: string; costMicros: number };
}

export type MarketplaceTakeResult =
  /** `used`: each counter after the take, in the order given; `balance`: what is left, when a balance was taken from. */
  | { admitted: true; used: number[]; balance: number | null }
  /** `rejectedBy`: the index of the first counter that is full, or `balance`; `used`: the counters as they were (nothing moved). */
  | { admitted: false; rejectedBy: number | 'balance'; used: number[]; balance: number | null };

/**
 * Checks every window (and the balance) and, only if all pass, adds the weight to every
 * window and takes the price from the balance: one script, so Redis serialises concurrent
 * calls and N parallel calls against a quota of Q admit exactly Q, and a refused call moves
 * nothing (the bug of limiters that checked each limit on its own and kept what earlier
 * ones had taken). A missing balance key is a balance of 0: refused, never free.
 *
 * KEYS: counters…, [balance]. ARGV: weight, cost, counter count, then limit and ttl per counter.
 * Returns {admitted 0|1, rejected index (0 none, n+1 balance), balance or -1, used…}.
 */
export const MARKETPLACE_TAKE = luaScript(`
local weight = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local used = {}
local rejected = 0
for i = 1, n do
  used[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if rejected == 0 and used[i] + weight > tonumber(ARGV[2 + 2 * i]) then rejected = i end
end
local balance = -1
if #KEYS > n then
  balance = tonumber(redis.call('GET', KEYS[n + 1]) or '0')
  if rejected == 0 and balance < cost then rejected = n + 1 end
end
if rejected > 0 then return {0, rejected, balance, unpack(used)} end
for i = 1, n do
  used[i] = redis.call('INCRBY', KEYS[i], weight)
  if used[i] == weight then redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3 + 2 * i])) end
end
if #KEYS > n and cost > 0 then balance = redis.call('DECRBY', KEYS[n + 1], cost) end
return {1, 0, balance, unpack(used)}
`);

/** Runs MARKETPLACE_TAKE for one call. */
export async function takeMarketplaceLimits(client: Redis, take: MarketplaceTake): Promise<MarketplaceTakeResult> {
  const keys = take.counters.map((c) => c.key);
  if (take.balance) keys.push(take.balance.key);
  const args: (string | number)[] = [take.weight, take.balance?.costMicros ?? 0, take.counters.length];
  for (const c of take.counters) args.push(c.limit, c.ttlSeconds);
  const res = (await evalLua(client, MARKETPLACE_TAKE, keys, args)) as number[];
  const [admitted, rejected, rawBalance, ...used] = res as [number, number, number, ...number[]];
  const balance = take.balance ? rawBalance : null;
  if (admitted === 1) return { admitted: true, used, balance };
  return { admitted: false, rejectedBy: rejected > take.counters.length ? 'balance' : rejected - 1, used, balance };
}
