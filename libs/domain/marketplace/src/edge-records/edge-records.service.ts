import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MarketplaceInvalidation } from '@slipway/contracts';
import { diffHash, edgeConsumerKeyOf, edgeSubscriptionOf } from './edge-records';
import { EdgeRecordsRepository } from './edge-records.repository';
import { EdgeRecordsStore } from './edge-records.store';

/** A reconcile pass retries this often when api writes keep moving the generation under it. */
const RECONCILE_ATTEMPTS = 3;

export interface ReconcileResult {
  keysWritten: number;
  keysDeleted: number;
  subscriptionsWritten: number;
  subscriptionsDeleted: number;
  /** False when every attempt met a concurrent api write (the next pass tries again). */
  applied: boolean;
}

/**
 * Keeps the edge's Redis records in step with Postgres. After each committed change the
 * service that made it calls `refreshKey` / `refreshSubscription`: the record is read back from
 * Postgres (so it is the committed state, whatever the order of concurrent changes), written
 * or deleted, and the invalidation is published. A failure there is logged, never thrown: the
 * change is committed, and the worker's `reconcile` (every minute) heals what Redis missed.
 */
@Injectable()
export class EdgeRecords {
  private readonly logger = new Logger('marketplace-edge');

  constructor(
    @Inject(EdgeRecordsRepository) private readonly repository: EdgeRecordsRepository,
    @Inject(EdgeRecordsStore) private readonly store: EdgeRecordsStore,
  ) {}

  async refreshKey(keyId: string): Promise<void> {
    await this.safely(`key ${keyId}`, async () => {
      const key = await this.repository.key(keyId);
      if (!key) return;
      const record = edgeConsumerKeyOf(key);
      if (record) await this.store.writeKey(key.tokenHash, record);
      else await this.store.deleteKey(key.tokenHash);
      await this.publish({ keyHash: key.tokenHash });
    });
  }

  async refreshSubscription(subscriptionId: string): Promise<void> {
    await this.safely(`subscription ${subscriptionId}`, async () => {
      const subscription = await this.repository.subscription(subscriptionId);
      if (!subscription) return;
      await this.store.writeSubscription(edgeSubscriptionOf(subscription));
      await this.publish({ subscriptionId });
    });
  }

  /**
   * Rewrites both hashes from Postgres: missing or different records written, unknown ones
   * deleted, and an invalidation published for each changed field. Atomic against api writes
   * (see EDGE_RECORDS_GENERATION_KEY).
   */
  async reconcile(now = new Date()): Promise<ReconcileResult> {
    for (let attempt = 1; attempt <= RECONCILE_ATTEMPTS; attempt++) {
      const generation = await this.store.generation();
      const [keys, subscriptions] = await Promise.all([this.repository.liveKeys(now), this.repository.keptSubscriptions(now)]);
      const wantedKeys = new Map(keys.flatMap((k) => {
        const record = edgeConsumerKeyOf(k);
        return record ? [[k.tokenHash, JSON.stringify(record)] as const] : [];
      }));
      const wantedSubscriptions = new Map(subscriptions.map((s) => [s.id, JSON.stringify(edgeSubscriptionOf(s))] as const));
      const stored = await this.store.readAll();
      const keyDiff = diffHash(wantedKeys, stored.keys);
      const subscriptionDiff = diffHash(wantedSubscriptions, stored.subscriptions);
      if (!(await this.store.applyIfUnchanged(generation, keyDiff, subscriptionDiff))) continue;
      const changed: MarketplaceInvalidation[] = [
        ...[...Object.keys(keyDiff.set), ...keyDiff.del].map((keyHash) => ({ keyHash })),
        ...[...Object.keys(subscriptionDiff.set), ...subscriptionDiff.del].map((subscriptionId) => ({ subscriptionId })),
      ];
      for (const message of changed) await this.publish(message);
      return {
        keysWritten: Object.keys(keyDiff.set).length,
        keysDeleted: keyDiff.del.length,
        subscriptionsWritten: Object.keys(subscriptionDiff.set).length,
        subscriptionsDeleted: subscriptionDiff.del.length,
        applied: true,
      };
    }
    return { keysWritten: 0, keysDeleted: 0, subscriptionsWritten: 0, subscriptionsDeleted: 0, applied: false };
  }

  private async publish(message: MarketplaceInvalidation): Promise<void> {
    try {
      await this.store.publish(message);
    } catch (err) {
      this.logger.warn(`could not publish the invalidation ${JSON.stringify(message)}: ${String(err)}; edges pick the change up at their next cache refresh or reconnect`);
    }
  }

  private async safely(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.warn(`edge record of ${what} not written (${String(err)}); the marketplace-edge-sync job heals it within a minute`);
    }
  }
}
