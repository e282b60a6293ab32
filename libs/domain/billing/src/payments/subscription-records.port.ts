/**
 * The edge reads a subscription's status from its Redis record (MARKETPLACE_SUBSCRIPTIONS_HASH),
 * which the marketplace lib writes. Billing must not import it, so a status change made here
 * (PAST_DUE, back to ACTIVE) is announced through this port; the api and worker wire the
 * marketplace's record writer to it. Without a writer, the marketplace's reconcile job rewrites
 * the records from PostgreSQL within a minute, so the edge is late, never wrong for long.
 */
export interface SubscriptionRecords {
  republish(subscriptionIds: readonly string[]): Promise<void>;
}

export const SUBSCRIPTION_RECORDS = Symbol('SUBSCRIPTION_RECORDS');

/** The default until the marketplace's writer is wired: the reconcile job heals the records. */
export class ReconciledSubscriptionRecords implements SubscriptionRecords {
  async republish(): Promise<void> {}
}
