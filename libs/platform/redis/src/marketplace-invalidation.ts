import { Redis } from 'ioredis';
import { MARKETPLACE_INVALIDATION_CHANNEL, marketplaceInvalidationSchema, type MarketplaceInvalidation } from '@slipway/contracts';
import { followBackoff } from './route-table-subscriber';

export interface MarketplaceInvalidationFollowerOptions {
  redisUrl: string;
  /** Each message on MARKETPLACE_INVALIDATION_CHANNEL, and `{all: true}` on every (re)subscribe. */
  onEvent: (event: MarketplaceInvalidation) => void;
  onError?: (err: Error) => void;
}

/**
 * Follows MARKETPLACE_INVALIDATION_CHANNEL for the edge. Messages published while the
 * subscription was down are lost, so every time it is (re)established, the first start
 * included, the follower delivers `{all: true}` and the edge drops everything it cached.
 * Reconnects within a second (followBackoff), like the route table follower.
 */
export class MarketplaceInvalidationFollower {
  private readonly sub: Redis;
  private subscribed: Promise<void>;
  private resolveSubscribed!: () => void;

  constructor(private readonly options: MarketplaceInvalidationFollowerOptions) {
    this.subscribed = new Promise((r) => (this.resolveSubscribed = r));
    this.sub = new Redis(options.redisUrl, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: null, retryStrategy: followBackoff });
    this.sub.on('error', (err: Error) => options.onError?.(err));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== MARKETPLACE_INVALIDATION_CHANNEL) return;
      const event = parseInvalidation(message);
      if (event) options.onEvent(event);
    });
    this.sub.on('ready', () => {
      this.sub.subscribe(MARKETPLACE_INVALIDATION_CHANNEL).then(
        () => {
          options.onEvent({ all: true });
          this.resolveSubscribed();
        },
        (err: Error) => options.onError?.(err),
      );
    });
  }

  start(): void {
    this.sub.connect().catch(() => undefined); // ioredis keeps retrying; errors reach onError
  }

  /** Resolves once the first subscription is active (tests publish after it). */
  ready(): Promise<void> {
    return this.subscribed;
  }

  close(): void {
    this.sub.disconnect();
  }
}

/** A message of the channel, or null when it is not one (ignored). */
export function parseInvalidation(message: string): MarketplaceInvalidation | null {
  try {
    const parsed = marketplaceInvalidationSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
