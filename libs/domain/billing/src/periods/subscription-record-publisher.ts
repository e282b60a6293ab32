/**
 * The port through which billing has a subscription's edge record rewritten and announced (a
 * period roll changes its period and may change its plan version). The API part's edge-records
 * writer implements it; the lead provides it under this token from a @Global() module. Without a
 * provider, billing uses the no-op below and the reconcile job's minute-by-minute rewrite of the
 * hashes from PostgreSQL brings the edge up to date.
 */
export const SUBSCRIPTION_RECORD_PUBLISHER = Symbol('SUBSCRIPTION_RECORD_PUBLISHER');

export interface SubscriptionRecordPublisher {
  /** Rewrites `MARKETPLACE_SUBSCRIPTIONS_HASH[subscriptionId]` from PostgreSQL and publishes `{subscriptionId}`. */
  publish(subscriptionId: string): Promise<void>;
}

export const noopSubscriptionRecordPublisher: SubscriptionRecordPublisher = {
  publish: async () => undefined,
};
