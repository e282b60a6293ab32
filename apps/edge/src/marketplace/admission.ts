import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import {
  MARKETPLACE_FORWARDED_HEADERS as H,
  marketplaceBalanceKey,
  type BillableOperation,
  type EdgeConsumerKey,
  type EdgeListing,
  type EdgeSubscription,
  type MarketplaceEdgeProblemCode,
  type MarketplaceInvalidation,
  type MarketplaceUsageEvent,
} from '@slipway/contracts';
import { sha256Hex } from '@slipway/crypto';
import type { MarketplaceTake, MarketplaceTakeResult } from '@slipway/redis';
import { checkKeyShape, modeOfPrefix, rawKey } from './consumer-key';
import { limitWindows, RATE_POLICIES } from './limit-windows';
import { compileOperations, pathOf, type OperationMatcher } from './operation-matcher';
import { rateLimitHeaders } from './rate-limit-headers';
import { RecordCache } from './record-cache';
import { uuidv7 } from './uuid-v7';

/** What admission reads from Redis (MarketplaceEdgeStore; a fake in unit tests). */
export interface MarketplaceStorePort {
  consumerKey(keyHash: string): Promise<EdgeConsumerKey | null>;
  subscription(subscriptionId: string): Promise<EdgeSubscription | null>;
  take(take: MarketplaceTake): Promise<MarketplaceTakeResult>;
}

/** A usage event before the answer: status and duration are added when the response closes. */
export type PendingUsage = Omit<MarketplaceUsageEvent, 'status' | 'durationMs' | 'releaseId'>;

export type Admission =
  | { admitted: false; code: MarketplaceEdgeProblemCode; detail?: string; headers: OutgoingHttpHeaders }
  | {
      admitted: true;
      /** Headers the app receives (the `slipway-*` set of the design). */
      forwarded: Record<string, string>;
      /** RateLimit headers added to the app's answer. */
      headers: OutgoingHttpHeaders;
      /** Set when the call matched a billable operation. */
      usage?: PendingUsage;
    };

interface CompiledSubscription {
  record: EdgeSubscription;
  /** Null: every operation is in the plan. */
  allows: OperationMatcher<{ method: string; path: string }> | null;
}

export interface MarketplaceAdmissionOptions {
  /** Records kept in process (each cache). Default 10,000. */
  cacheMax?: number;
  /** Found records are reread after this even without an invalidation. Default 60 s. */
  cacheTtlMs?: number;
  /** Unknown keys are remembered this long. Default 5 s. */
  negativeTtlMs?: number;
  now?: () => number;
  /** False while the usage backlog is full (UsageMeter.accepting). */
  accepting?: () => boolean;
}

const BEARER_CHALLENGE = { 'www-authenticate': 'Bearer' };

const refuse = (code: MarketplaceEdgeProblemCode, detail?: string, headers: OutgoingHttpHeaders = {}): Admission => ({
  admitted: false,
  code,
  detail,
  headers,
});

/** `.`/`..` segments or encoded slashes and dots could make a path match one pattern and reach another in the app. */
const AMBIGUOUS_PATH = /(?:^|\/)\.{1,2}(?:\/|$)|%2e|%2f|%5c|\\/i;

/**
 * The decision for one call to a listing host, in the order of the design (docs/marketplace.md):
 * key → listing → subscription status → operation in plan → every limit and the balance in one
 * Redis script. Returns an outcome, never throws for a refusal; a Redis failure rejects (the
 * caller answers 503). Records come from two in-process caches that invalidations empty.
 */
export class MarketplaceAdmission {
  readonly keys: RecordCache<EdgeConsumerKey>;
  readonly subscriptions: RecordCache<CompiledSubscription>;
  private readonly listings = new WeakMap<EdgeListing, OperationMatcher<BillableOperation>>();
  private readonly now: () => number;
  private readonly accepting: () => boolean;

  constructor(
    private readonly store: MarketplaceStorePort,
    options: MarketplaceAdmissionOptions = {},
  ) {
    const cache = { max: options.cacheMax ?? 10_000, ttlMs: options.cacheTtlMs ?? 60_000, negativeTtlMs: options.negativeTtlMs ?? 5_000 };
    this.keys = new RecordCache(cache, (hash) => store.consumerKey(hash));
    this.subscriptions = new RecordCache<CompiledSubscription>(cache, async (id) => {
      const record = await store.subscription(id);
      // A period the windows cannot be computed from is no subscription (refused, not an error per call).
      if (!record || !(Date.parse(record.periodEnd) > Date.parse(record.periodStart))) return null;
      return { record, allows: record.operations ? compileOperations<{ method: string; path: string }>(record.operations) : null };
    });
    this.now = options.now ?? Date.now;
    this.accepting = options.accepting ?? (() => true);
  }

  invalidate(event: MarketplaceInvalidation): void {
    if ('keyHash' in event) this.keys.delete(event.keyHash);
    else if ('subscriptionId' in event) this.subscriptions.delete(event.subscriptionId);
    else {
      this.keys.clear();
      this.subscriptions.clear();
    }
  }

  async admit(req: IncomingMessage, listing: EdgeListing): Promise<Admission> {
    if (!this.accepting())
      return refuse('metering_unavailable', 'Usage events are waiting to be written; retry in a moment.', { 'retry-after': '1' });
    const raw = rawKey(req.headers);
    if (!raw) return refuse('invalid_api_key', 'Send your key as `x-api-key: swk_…` or `Authorization: Bearer swk_…`.', BEARER_CHALLENGE);
    const hash = sha256Hex(raw);
    // A key found in the cache passed the shape check when it was loaded: the checksum (two
    // hashes) is computed only for keys this edge does not know yet, always before any lookup.
    const known = this.keys.peek(hash)?.value;
    const mode = known
      ? modeOfPrefix(raw)
      : (() => {
          const shape = checkKeyShape(raw);
          return shape.status === 'wellFormed' ? shape.mode : undefined;
        })();
    if (!mode)
      return refuse(
        'invalid_api_key',
        'This is not a Slipway API key (prefix, length or checksum is wrong). Copy the whole key from the console.',
        BEARER_CHALLENGE,
      );

    const key = known ?? (await this.keys.get(hash));
    const now = this.now();
    if (!key || key.mode !== mode) return refuse('invalid_api_key', 'This key is unknown or was revoked.', BEARER_CHALLENGE);
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now)
      return refuse('invalid_api_key', 'This key has expired (it was rerolled and its overlap ended). Use the new key.', BEARER_CHALLENGE);
    if (key.listingId !== listing.listingId)
      return refuse('wrong_listing', `This key belongs to another API; subscribe to ${listing.slug} to get a key for it.`);

    const sub = await this.subscriptions.get(key.subscriptionId);
    if (!sub || sub.record.listingId !== listing.listingId)
      return refuse('subscription_inactive', 'This key has no subscription to this API.');
    const record = sub.record;
    if (record.status === 'canceled')
      return refuse('subscription_inactive', 'The subscription was canceled; subscribe again to call this API.');
    if (record.status === 'past_due')
      return refuse('payment_required', 'An invoice of this subscription is past due; pay it in the console to call again.');

    const method = (req.method ?? 'GET').toUpperCase();
    const path = pathOf(req.url);
    if (AMBIGUOUS_PATH.test(path))
      return refuse('operation_not_in_plan', 'Paths with `.` or `..` segments, backslashes or encoded slashes and dots are not accepted.');
    const operation = this.operationsOf(listing)(method, path);
    if (operation && sub.allows && !sub.allows(method, path))
      return refuse('operation_not_in_plan', `${method} ${operation.path} is not in the ${record.planSlug} plan.`);

    const windows = limitWindows(record, now, operation !== undefined);
    const weight = operation?.weight ?? 1;
    const billsBalance = operation !== undefined && record.gate === 'balance' && key.mode === 'live';
    let headers: OutgoingHttpHeaders = {};
    if (windows.length > 0 || billsBalance) {
      const take: MarketplaceTake = { counters: windows, weight };
      if (billsBalance) take.balance = { key: marketplaceBalanceKey(record.subscriptionId), costMicros: record.unitPriceMicros * weight };
      const result = await this.store.take(take);
      if (!result.admitted) return refusal(result, windows, record, now);
      headers = rateLimitHeaders(windows, result.used);
    }

    const callId = uuidv7(now);
    const forwarded = {
      [H.consumer]: key.consumerId,
      [H.subscription]: record.subscriptionId,
      [H.plan]: record.planSlug,
      [H.keyMode]: key.mode,
      [H.secret]: listing.secret,
      [H.callId]: callId,
    };
    const usage: PendingUsage | undefined = operation && {
      id: callId,
      time: new Date(now).toISOString(),
      listingId: listing.listingId,
      subscriptionId: record.subscriptionId,
      consumerId: key.consumerId,
      keyId: key.keyId,
      planVersionId: record.planVersionId,
      mode: key.mode,
      method,
      operation: operation.path,
      weight,
    };
    return { admitted: true, forwarded, headers, usage };
  }

  private operationsOf(listing: EdgeListing): OperationMatcher<BillableOperation> {
    let m = this.listings.get(listing);
    if (!m) {
      m = compileOperations(listing.operations);
      this.listings.set(listing, m); // once per route table: a new table brings new listing objects
    }
    return m;
  }
}

function refusal(
  result: Extract<MarketplaceTakeResult, { admitted: false }>,
  windows: ReturnType<typeof limitWindows>,
  record: EdgeSubscription,
  now: number,
): Admission {
  if (result.rejectedBy === 'balance') {
    const headers = rateLimitHeaders(windows, result.used);
    if (record.balanceKind === 'spend_cap') {
      const untilPeriodEnd = Math.max(1, Math.ceil((Date.parse(record.periodEnd) - now) / 1_000));
      return refuse(
        'spend_cap_reached',
        'This call would pass the spend cap of this period; raise the cap in the console or wait for the next period.',
        { ...headers, 'retry-after': String(untilPeriodEnd) },
      );
    }
    return refuse('balance_exhausted', 'The prepaid balance does not cover this call; buy credits in the console.', headers);
  }
  const w = windows[result.rejectedBy]!;
  const headers = { ...rateLimitHeaders(windows, result.used, result.rejectedBy), 'retry-after': String(w.resetSeconds) };
  return RATE_POLICIES.has(w.policy)
    ? refuse('rate_limited', `The plan allows ${w.limit} per ${w.policy}; retry in ${w.resetSeconds} s.`, headers)
    : refuse(
        'quota_exceeded',
        `The plan's quota of ${w.limit} per ${w.policy === 'month' ? 'period' : w.policy} is used up; it renews in ${w.resetSeconds} s. Upgrade the plan for more.`,
        headers,
      );
}
