import type { EdgeSubscription } from '@slipway/contracts';
import type { MarketplaceCounter } from '@slipway/redis';

export type PolicyName = 'second' | 'minute' | 'day' | 'month';

/** One limit of a plan as it applies to one call now: its counter in Redis and its window. */
export interface LimitWindow extends MarketplaceCounter {
  policy: PolicyName;
  /** Window length in seconds (`w` of RateLimit-Policy). */
  windowSeconds: number;
  /** Seconds until this window ends (`t` of RateLimit; Retry-After). */
  resetSeconds: number;
}

/** Rate limits protect the app; quotas count billable usage (docs/marketplace.md). */
export const RATE_POLICIES: ReadonlySet<PolicyName> = new Set(['second', 'minute']);

/** Counters outlive their window a little, so a clock a bit behind Redis's never recreates one. */
const TTL_SLACK_SECONDS = 60;
const DAY_MS = 86_400_000;

/** All keys of one subscription share the hash tag `{id}`: one slot, so one script may touch them (and its balance key) on a cluster. */
const counterKey = (subscriptionId: string, policy: PolicyName, window: number) => `slipway:mkt:rl:{${subscriptionId}}:${policy}:${window}`;

function window(subscriptionId: string, policy: PolicyName, limit: number, windowIndex: number, windowMs: number, endMs: number, now: number): LimitWindow {
  const resetSeconds = Math.max(1, Math.ceil((endMs - now) / 1_000));
  return {
    policy,
    key: counterKey(subscriptionId, policy, windowIndex),
    limit,
    windowSeconds: Math.max(1, Math.round(windowMs / 1_000)),
    resetSeconds,
    ttlSeconds: resetSeconds + TTL_SLACK_SECONDS,
  };
}

/**
 * The fixed windows that apply to a call at `now` (ms): per second and per minute (epoch
 * aligned), per UTC day, and per subscription period (`periodStart`..`periodEnd` of the
 * record; the billing job republishes the record when it rolls the period). `quotas: false`
 * leaves out day and month (calls that match no billable operation count only against the
 * rate limits).
 */
export function limitWindows(sub: Pick<EdgeSubscription, 'subscriptionId' | 'limits' | 'periodStart' | 'periodEnd'>, now: number, quotas = true): LimitWindow[] {
  const { subscriptionId: id, limits } = sub;
  const out: LimitWindow[] = [];
  if (limits.perSecond) {
    const i = Math.floor(now / 1_000);
    out.push(window(id, 'second', limits.perSecond, i, 1_000, (i + 1) * 1_000, now));
  }
  if (limits.perMinute) {
    const i = Math.floor(now / 60_000);
    out.push(window(id, 'minute', limits.perMinute, i, 60_000, (i + 1) * 60_000, now));
  }
  if (!quotas) return out;
  if (limits.perDay) {
    const i = Math.floor(now / DAY_MS);
    out.push(window(id, 'day', limits.perDay, i, DAY_MS, (i + 1) * DAY_MS, now));
  }
  if (limits.perMonth) {
    const start = Date.parse(sub.periodStart);
    const end = Date.parse(sub.periodEnd);
    out.push(window(id, 'month', limits.perMonth, start, end - start, end, now));
  }
  return out;
}
