import { randomBytes, randomUUID } from 'node:crypto';
import type { MarketplaceUsageEvent, PlanPricing } from '@slipway/contracts';
import type { PrismaService } from '@slipway/db';

/**
 * Marketplace rows for billing tests, written as the API part writes them: two organizations
 * (publisher, consumer), a published listing, a plan with versions, a subscription.
 */
export interface BillingWorld {
  publisher: { id: string; slug: string };
  consumer: { id: string; slug: string };
  listingId: string;
  planId: string;
  versions: string[];
  subscriptionId: string;
  keyId: string;
}

const suffix = () => randomBytes(4).toString('hex');

export async function createBillingWorld(
  prisma: PrismaService,
  opts: { pricing: PlanPricing[]; periodStart: Date; periodEnd: Date; spendCapMicros?: bigint | null },
): Promise<BillingWorld> {
  const publisher = await prisma.organization.create({ data: { slug: `pub-${suffix()}`, name: 'Weather Inc' } });
  const consumer = await prisma.organization.create({ data: { slug: `con-${suffix()}`, name: 'App Co' } });
  const listing = await prisma.apiListing.create({
    data: {
      organizationId: publisher.id,
      projectId: randomUUID(),
      environmentId: randomUUID(),
      slug: `weather-${suffix()}`,
      name: 'Weather',
      summary: 'Forecasts',
      category: 'data',
      visibility: 'PUBLIC',
      status: 'PUBLISHED',
      operations: [{ method: 'GET', path: '/forecast', weight: 1 }],
      sealedEdgeSecret: 'v1.test.secret',
    },
  });
  const plan = await prisma.apiPlan.create({ data: { listingId: listing.id, slug: 'pro', name: 'Pro' } });
  const versions: string[] = [];
  for (const [i, pricing] of opts.pricing.entries()) {
    const v = await prisma.apiPlanVersion.create({
      data: { planId: plan.id, version: i + 1, pricing, limits: { perSecond: null, perMinute: null, perDay: null, perMonth: null } },
    });
    versions.push(v.id);
  }
  await prisma.apiPlan.update({ where: { id: plan.id }, data: { currentVersionId: versions[0]! } });
  const subscription = await prisma.apiSubscription.create({
    data: {
      listingId: listing.id,
      planId: plan.id,
      planVersionId: versions[0]!,
      consumerOrganizationId: consumer.id,
      publisherOrganizationId: publisher.id,
      currentPeriodStart: opts.periodStart,
      currentPeriodEnd: opts.periodEnd,
      spendCapMicros: opts.spendCapMicros ?? null,
      createdAt: opts.periodStart,
    },
  });
  const key = await prisma.apiConsumerKey.create({
    data: { subscriptionId: subscription.id, consumerOrganizationId: consumer.id, mode: 'LIVE', name: 'default', prefix: 'swk_live_ab12', tokenHash: randomBytes(32).toString('hex') },
  });
  return {
    publisher: { id: publisher.id, slug: publisher.slug },
    consumer: { id: consumer.id, slug: consumer.slug },
    listingId: listing.id,
    planId: plan.id,
    versions,
    subscriptionId: subscription.id,
    keyId: key.id,
  };
}

/** A usage event as the edge writes it for `world`'s key: a live GET /forecast of weight 1, answered 200, at `time`. */
export function edgeEvent(world: BillingWorld, time: Date, over: Partial<MarketplaceUsageEvent> = {}): MarketplaceUsageEvent {
  return {
    id: randomUUID(),
    time: time.toISOString(),
    listingId: world.listingId,
    subscriptionId: world.subscriptionId,
    consumerId: world.consumer.id,
    keyId: world.keyId,
    planVersionId: world.versions[0]!,
    mode: 'live',
    method: 'GET',
    operation: '/forecast',
    weight: 1,
    status: 200,
    durationMs: 12.5,
    releaseId: 'release-1',
    ...over,
  };
}
