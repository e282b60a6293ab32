import { Redis } from 'ioredis';
import {
  MARKETPLACE_KEYS_HASH,
  MARKETPLACE_SUBSCRIPTIONS_HASH,
  MARKETPLACE_USAGE_FIELD,
  MARKETPLACE_USAGE_STREAM,
  edgeConsumerKeySchema,
  edgeSubscriptionSchema,
  type EdgeConsumerKey,
  type EdgeSubscription,
  type MarketplaceUsageEvent,
} from '@slipway/contracts';
import { takeMarketplaceLimits, type MarketplaceTake, type MarketplaceTakeResult } from './marketplace-limits';
import { redisBackoff } from './route-table-store';

/**
 * Longest a marketplace command may take before the call is refused with 503: the edge fails
 * closed (docs/marketplace.md), so a Redis that hangs must not hang every consumer's call.
 */
export const MARKETPLACE_COMMAND_TIMEOUT_MS = 1_000;

/** The part of a zod schema `read` uses (this lib does not depend on zod itself). */
interface RecordSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** A record in Redis that is not JSON or does not match its contract: treated as absent (the key is refused). */
export type InvalidRecordListener = (hash: string, field: string, reason: string) => void;

/**
 * The edge's side of the marketplace records in Redis: the key and subscription hashes (read
 * and validated against the contracts), the limit script, and the usage stream. One connection
 * with no offline queue and a command timeout, so every command fails at once while Redis is
 * unreachable and the caller can answer 503 instead of waiting.
 */
export class MarketplaceEdgeStore {
  constructor(
    readonly client: Redis,
    private readonly ownsClient = false,
    private readonly onInvalid: InvalidRecordListener = () => undefined,
    /** The usage stream's key; tests use one of their own. */
    readonly usageStream: string = MARKETPLACE_USAGE_STREAM,
  ) {}

  static connect(redisUrl: string, options: { onInvalid?: InvalidRecordListener; usageStream?: string } = {}): MarketplaceEdgeStore {
    const client = new Redis(redisUrl, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 2_000,
      commandTimeout: MARKETPLACE_COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt: number) => redisBackoff(attempt, 1_000),
    });
    client.on('error', () => undefined); // failures surface through the failing command
    return new MarketplaceEdgeStore(client, true, options.onInvalid, options.usageStream);
  }

  /** The record of a key by its SHA-256, or null (unknown, revoked, or an invalid record). */
  async consumerKey(keyHash: string): Promise<EdgeConsumerKey | null> {
    return this.read(MARKETPLACE_KEYS_HASH, keyHash, edgeConsumerKeySchema);
  }

  async subscription(subscriptionId: string): Promise<EdgeSubscription | null> {
    return this.read(MARKETPLACE_SUBSCRIPTIONS_HASH, subscriptionId, edgeSubscriptionSchema);
  }

  take(take: MarketplaceTake): Promise<MarketplaceTakeResult> {
    return takeMarketplaceLimits(this.client, take);
  }

  /** One XADD for the whole batch (field `events`, a JSON array); never trimmed here: the meter acknowledges, then trims. */
  async appendUsage(events: readonly MarketplaceUsageEvent[]): Promise<string> {
    const id = await this.client.xadd(this.usageStream, '*', MARKETPLACE_USAGE_FIELD, JSON.stringify(events));
    return String(id);
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.disconnect();
  }

  private async read<T>(hash: string, field: string, schema: RecordSchema<T>): Promise<T | null> {
    const raw = await this.client.hget(hash, field);
    if (raw === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      this.onInvalid(hash, field, 'not JSON');
      return null;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    this.onInvalid(hash, field, parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '));
    return null;
  }
}
