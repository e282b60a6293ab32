import { marketplaceBalanceKey } from '@slipway/contracts';
import { luaScript } from './lua-script';
import { marketplaceUsageEntryEvents } from './marketplace-usage-reader';
import type { RedisService } from './redis.service';
import { scanUnacknowledged } from './stream-group';

/**
 * Sets a balance to the truth minus what the edge took since `snapshot` was read: between
 * billing passes only the edge moves the key (DECRBY per admitted call), so `snapshot − now` is
 * exactly the calls admitted while the pass computed, which its truth may not include yet.
 * Formatted with %.0f: Lua's tostring would write 1e+15, which DECRBY refuses.
 */
const RESET_BALANCE = luaScript(`
local current = redis.call('GET', KEYS[1])
local taken = 0
if current and ARGV[2] ~= '' then
  taken = tonumber(ARGV[2]) - tonumber(current)
  if taken < 0 then taken = 0 end
end
local value = string.format('%.0f', tonumber(ARGV[1]) - taken)
redis.call('SET', KEYS[1], value)
return value
`);

/** The balance keys of these subscriptions now (null: no key yet). */
export async function snapshotMarketplaceBalances(redis: RedisService, subscriptionIds: readonly string[]): Promise<Map<string, string | null>> {
  if (subscriptionIds.length === 0) return new Map();
  const values = await redis.client.mget(...subscriptionIds.map(marketplaceBalanceKey));
  return new Map(subscriptionIds.map((id, i) => [id, values[i] ?? null]));
}

/** Writes `truthMicros` minus what the edge took since `snapshot`; returns the value written. */
export async function resetMarketplaceBalance(redis: RedisService, subscriptionId: string, truthMicros: bigint, snapshot: string | null): Promise<bigint> {
  const written = await redis.evalScript(RESET_BALANCE, [marketplaceBalanceKey(subscriptionId)], [truthMicros.toString(), snapshot ?? '']);
  return BigInt(String(written));
}

/** The raw events of every usage entry no meter has acknowledged yet (admitted calls not in PostgreSQL yet). */
export async function unacknowledgedMarketplaceUsage(redis: RedisService, stream: string): Promise<unknown[]> {
  return scanUnacknowledged(redis.client, stream, (entry) => marketplaceUsageEntryEvents(entry).events);
}
