import { MarketplaceEdgeStore, MarketplaceInvalidationFollower } from '@slipway/redis';
import type { Logger } from '../log';
import { MarketplaceAdmission } from './admission';
import type { ListingProxyDeps } from './listing-proxy';
import { MarketplaceStats } from './marketplace-stats';
import { UsageMeter } from './usage-meter';

export interface EdgeMarketplace {
  store: MarketplaceEdgeStore;
  follower: MarketplaceInvalidationFollower;
  admission: MarketplaceAdmission;
  meter: UsageMeter;
  deps: ListingProxyDeps;
  /** Append what is queued (up to 2 s), then disconnect. */
  close(): Promise<void>;
}

/** Logs a repeated failure at most every 30 s: Redis down means one per call otherwise. */
function throttled(log: Logger, msg: string): (err: Error, fields?: Record<string, unknown>) => void {
  let last = 0;
  return (err, fields) => {
    if (Date.now() - last < 30_000) return;
    last = Date.now();
    log.warn(msg, { error: err.message, ...fields });
  };
}

/** The edge's marketplace parts: Redis records and limits, the invalidation follower, the usage meter. */
export function startMarketplace(options: { redisUrl: string; log: Logger; usageIntervalMs?: number }): EdgeMarketplace {
  const { log } = options;
  const store = MarketplaceEdgeStore.connect(options.redisUrl, {
    onInvalid: (hash, field, reason) => log.error('marketplace record in Redis is invalid: treated as absent', { hash, field, reason }),
  });
  const meterError = throttled(log, 'usage events could not be appended; kept in memory and retried');
  const meter = new UsageMeter(store, { intervalMs: options.usageIntervalMs, onError: (err, pending) => meterError(err, { pending }) });
  const admission = new MarketplaceAdmission(store, { accepting: () => meter.accepting });
  const follower = new MarketplaceInvalidationFollower({
    redisUrl: options.redisUrl,
    onEvent: (event) => admission.invalidate(event),
    onError: throttled(log, 'marketplace invalidations unavailable (cached keys are dropped on reconnect)'),
  });
  follower.start();
  const deps: ListingProxyDeps = { admission, meter, stats: new MarketplaceStats(), onRedisError: throttled(log, 'redis unavailable: calls to published APIs are refused with 503') };
  return {
    store,
    follower,
    admission,
    meter,
    deps,
    close: async () => {
      const left = await meter.stop(2_000);
      if (left > 0) log.error('usage events lost at shutdown: Redis did not take them', { events: left });
      follower.close();
      await store.close();
    },
  };
}
