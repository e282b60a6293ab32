import { Inject, Injectable } from '@nestjs/common';
import {
  MARKETPLACE_INVALIDATION_CHANNEL,
  MARKETPLACE_KEYS_HASH,
  MARKETPLACE_SUBSCRIPTIONS_HASH,
  type EdgeConsumerKey,
  type EdgeSubscription,
  type MarketplaceInvalidation,
} from '@slipway/contracts';
import { RedisService, luaScript } from '@slipway/redis';
import type { HashDiff } from './edge-records';

/**
 * Bumped by every write the api makes after a commit. The reconcile pass reads it before its
 * Postgres snapshot and applies its diff only if it has not moved, so a pass that read a key
 * before its revocation can never write the revoked key back.
 */
export const EDGE_RECORDS_GENERATION_KEY = 'slipway:mkt:records-gen';

/** KEYS: keys hash, subscriptions hash, generation. ARGV: generation read, #key sets, #key dels, #sub sets, #sub dels, then the fields (set: field and value; del: field). */
const APPLY_IF_UNCHANGED = luaScript(`
local gen = redis.call('GET', KEYS[3]) or '0'
if gen ~= ARGV[1] then return 0 end
local i = 6
local function apply(hash, sets, dels)
  for _ = 1, sets do redis.call('HSET', hash, ARGV[i], ARGV[i + 1]); i = i + 2 end
  for _ = 1, dels do redis.call('HDEL', hash, ARGV[i]); i = i + 1 end
end
apply(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
apply(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]))
return 1
`);

/** The Redis side of the edge's marketplace records: the two hashes and the invalidation channel. */
@Injectable()
export class EdgeRecordsStore {
  constructor(@Inject(RedisService) private readonly redis: RedisService) {}

  async writeKey(keyHash: string, record: EdgeConsumerKey): Promise<void> {
    await this.redis.client.multi().hset(MARKETPLACE_KEYS_HASH, keyHash, JSON.stringify(record)).incr(EDGE_RECORDS_GENERATION_KEY).exec();
  }

  async deleteKey(keyHash: string): Promise<void> {
    await this.redis.client.multi().hdel(MARKETPLACE_KEYS_HASH, keyHash).incr(EDGE_RECORDS_GENERATION_KEY).exec();
  }

  async writeSubscription(record: EdgeSubscription): Promise<void> {
    await this.redis.client
      .multi()
      .hset(MARKETPLACE_SUBSCRIPTIONS_HASH, record.subscriptionId, JSON.stringify(record))
      .incr(EDGE_RECORDS_GENERATION_KEY)
      .exec();
  }

  async publish(message: MarketplaceInvalidation): Promise<void> {
    await this.redis.client.publish(MARKETPLACE_INVALIDATION_CHANNEL, JSON.stringify(message));
  }

  async generation(): Promise<string> {
    return (await this.redis.client.get(EDGE_RECORDS_GENERATION_KEY)) ?? '0';
  }

  async readAll(): Promise<{ keys: Record<string, string>; subscriptions: Record<string, string> }> {
    const [keys, subscriptions] = await Promise.all([
      this.redis.client.hgetall(MARKETPLACE_KEYS_HASH),
      this.redis.client.hgetall(MARKETPLACE_SUBSCRIPTIONS_HASH),
    ]);
    return { keys, subscriptions };
  }

  /** Applies both diffs atomically, unless an api write happened since `generation` was read (then false). */
  async applyIfUnchanged(generation: string, keys: HashDiff, subscriptions: HashDiff): Promise<boolean> {
    const flat = (d: HashDiff) => [...Object.entries(d.set).flat(), ...d.del];
    const args = [
      generation,
      Object.keys(keys.set).length,
      keys.del.length,
      Object.keys(subscriptions.set).length,
      subscriptions.del.length,
      ...flat(keys),
      ...flat(subscriptions),
    ];
    const applied = await this.redis.evalScript(APPLY_IF_UNCHANGED, [MARKETPLACE_KEYS_HASH, MARKETPLACE_SUBSCRIPTIONS_HASH, EDGE_RECORDS_GENERATION_KEY], args);
    return applied === 1;
  }
}
