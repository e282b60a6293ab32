import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import type { ChangePlanInput, CreatedSubscriptionDto, OrgActor, SetSpendCapInput, SubscriptionDto, TenantScope, subscribeInputSchema } from '@slipway/contracts';
import type { Tx } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import type { z } from 'zod';
import { EdgeRecords } from '../edge-records/edge-records.service';
import { mintConsumerKey } from '../keys/consumer-key';
import { ConsumerKeysRepository } from '../keys/consumer-keys.repository';
import { ListingUrls } from '../listings/listing-urls';
import { periodEnd } from './period';
import { toSubscriptionDto } from './subscription.mapper';
import { SubscriptionsRepository, type SubscribableListing, type SubscribablePlan, type SubscriptionRow } from './subscriptions.repository';

/**
 * Subscriptions of a consumer organization. One open (not canceled) subscription per consumer
 * organization and listing, enforced under a lock on the listing row. Every committed change
 * rewrites the edge's record of the subscription (and its keys) and announces it.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(SubscriptionsRepository) private readonly repository: SubscriptionsRepository,
    @Inject(ConsumerKeysRepository) private readonly keys: ConsumerKeysRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(ListingUrls) private readonly urls: ListingUrls,
    @Inject(EdgeRecords) private readonly records: EdgeRecords,
  ) {}

  async subscribe(actor: OrgActor, input: z.output<typeof subscribeInputSchema>): Promise<CreatedSubscriptionDto> {
    const minted = mintConsumerKey('live');
    const now = new Date();
    const { subscriptionId, keyId } = await this.repository.transaction(async (tx) => {
      const listing = this.subscribable(actor, await this.repository.lockListingBySlug(input.listing, tx), input.listing);
      const plan = await this.openPlan(listing, input.plan, tx);
      if (await this.repository.hasOpenSubscription(actor, listing.id, tx))
        throw new AppError('ALREADY_SUBSCRIBED', `Your organization already subscribes to "${listing.slug}": change the plan of that subscription instead.`);
      const created = await this.repository.create(
        actor,
        {
          listingId: listing.id,
          publisherOrganizationId: listing.organizationId,
          planId: plan.id,
          planVersionId: plan.currentVersionId,
          currentPeriodStart: now,
          currentPeriodEnd: periodEnd(now),
          spendCapMicros: input.spendCapMicros == null ? null : BigInt(input.spendCapMicros),
          createdById: actor.userId,
        },
        tx,
      );
      const key = await this.keys.create(actor, { subscriptionId: created.id, mode: 'LIVE', name: input.keyName, prefix: minted.prefix, tokenHash: minted.tokenHash, createdById: actor.userId }, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.subscribed', target: `api:${listing.slug}`, metadata: { subscriptionId: created.id, plan: plan.slug, key: `${key.prefix}…` } }, tx);
      return { subscriptionId: created.id, keyId: key.id };
    });
    // Subscription first: an edge that finds the key must find its subscription too.
    await this.records.refreshSubscription(subscriptionId);
    await this.records.refreshKey(keyId);
    const subscription = await this.get(actor, subscriptionId);
    const key = subscription.keys.find((k) => k.id === keyId)!;
    return { subscription, key: { ...key, key: minted.key } };
  }

  async list(scope: TenantScope): Promise<SubscriptionDto[]> {
    return this.toDtos(await this.repository.list(scope));
  }

  async get(scope: TenantScope, id: string): Promise<SubscriptionDto> {
    return (await this.toDtos([await this.require(scope, id)]))[0]!;
  }

  async require(scope: TenantScope, id: string, tx?: Tx): Promise<SubscriptionRow> {
    const row = await this.repository.find(scope, id, tx);
    if (!row) throw notFound('Subscription');
    return row;
  }

  /** Upgrades and downgrades alike apply at once; the billing part prorates from the change rows. */
  async changePlan(actor: OrgActor, id: string, input: ChangePlanInput): Promise<SubscriptionDto> {
    await this.repository.transaction(async (tx) => {
      await this.repository.lock(actor, id, tx);
      const subscription = this.open(await this.require(actor, id, tx));
      if (subscription.plan.slug === input.plan) throw new AppError('SAME_PLAN', `The subscription is already on plan "${input.plan}".`);
      const plan = await this.openPlan({ id: subscription.listingId, slug: subscription.listing.slug }, input.plan, tx);
      await this.repository.changePlan(actor, id, { fromPlanVersionId: subscription.planVersionId, planId: plan.id, planVersionId: plan.currentVersionId, actorId: actor.userId, at: new Date() }, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.plan_changed', target: `api:${subscription.listing.slug}`, metadata: { subscriptionId: id, from: subscription.plan.slug, to: plan.slug } }, tx);
    });
    await this.records.refreshSubscription(id);
    return this.get(actor, id);
  }

  async setSpendCap(actor: OrgActor, id: string, input: SetSpendCapInput): Promise<SubscriptionDto> {
    await this.repository.transaction(async (tx) => {
      await this.repository.lock(actor, id, tx);
      this.open(await this.require(actor, id, tx));
      await this.repository.setSpendCap(actor, id, input.spendCapMicros === null ? null : BigInt(input.spendCapMicros), tx);
    });
    await this.records.refreshSubscription(id);
    return this.get(actor, id);
  }

  /** Canceling twice is a no-op. The edge answers 403 subscription_inactive to its keys from now on. */
  async cancel(actor: OrgActor, id: string): Promise<SubscriptionDto> {
    const changed = await this.repository.transaction(async (tx) => {
      await this.repository.lock(actor, id, tx);
      const subscription = await this.require(actor, id, tx);
      if (subscription.status === 'CANCELED') return false;
      await this.repository.cancel(actor, id, new Date(), tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.subscription_canceled', target: `api:${subscription.listing.slug}`, metadata: { subscriptionId: id, plan: subscription.plan.slug } }, tx);
      return true;
    });
    if (changed) await this.records.refreshSubscription(id);
    return this.get(actor, id);
  }

  /** A subscription that may still change (keys, plan, cap): not canceled. */
  open(s: SubscriptionRow): SubscriptionRow {
    if (s.status === 'CANCELED') throw new AppError('SUBSCRIPTION_CANCELED', `This subscription to "${s.listing.slug}" is canceled: subscribe again.`);
    return s;
  }

  /**
   * The catalog's rules, applied before anything of the listing is revealed: PUBLISHED only;
   * PRIVATE only to its own organization. A listing the consumer may not see is "not found".
   */
  private subscribable(scope: TenantScope, listing: SubscribableListing | null, slug: string): SubscribableListing {
    if (!listing || listing.status === 'DRAFT' || (listing.visibility === 'PRIVATE' && listing.organizationId !== scope.organizationId)) throw notFound(`API "${slug}"`);
    if (listing.status === 'ARCHIVED') throw new AppError('API_NOT_PUBLISHED', `"${slug}" is no longer published: it takes no new subscriptions.`);
    return listing;
  }

  private async openPlan(listing: { id: string; slug: string }, slug: string, tx: Tx): Promise<SubscribablePlan & { currentVersionId: string }> {
    const plan = await this.repository.findPlan(listing.id, slug, tx);
    if (!plan?.currentVersionId) throw new AppError('NOT_FOUND', `"${listing.slug}" has no plan "${slug}".`, [{ path: 'plan', message: 'No such plan.' }]);
    if (plan.archivedAt) throw new AppError('PLAN_ARCHIVED', `Plan "${slug}" of "${listing.slug}" is archived: pick another plan.`, [{ path: 'plan', message: 'Archived.' }]);
    return { ...plan, currentVersionId: plan.currentVersionId };
  }

  private async toDtos(rows: SubscriptionRow[]): Promise<SubscriptionDto[]> {
    const [versions, publishers] = await Promise.all([this.repository.versions(rows.map((r) => r.planVersionId)), this.repository.publishers(rows.map((r) => r.publisherOrganizationId))]);
    return rows.flatMap((r) => {
      const version = versions.get(r.planVersionId);
      const publisher = publishers.get(r.publisherOrganizationId) ?? { slug: '', name: '(deleted organization)' };
      return version ? [toSubscriptionDto(r, version, publisher, this.urls.baseUrl(r.listing.slug))] : [];
    });
  }
}
