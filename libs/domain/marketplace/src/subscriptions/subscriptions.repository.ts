import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Prisma, type Tx } from '@slipway/db';

const PLAN_SELECT = { id: true, slug: true, name: true, archivedAt: true, createdAt: true } as const;

/** What a subscription's DTO is made from (its plan version joined separately: versions outlive plan edits). */
export const SUBSCRIPTION_SELECT = {
  id: true,
  listingId: true,
  planId: true,
  planVersionId: true,
  consumerOrganizationId: true,
  publisherOrganizationId: true,
  status: true,
  currentPeriodStart: true,
  currentPeriodEnd: true,
  spendCapMicros: true,
  createdAt: true,
  canceledAt: true,
  listing: { select: { slug: true, name: true, organizationId: true } },
  plan: { select: PLAN_SELECT },
  keys: {
    select: { id: true, name: true, mode: true, prefix: true, createdAt: true, expiresAt: true, revokedAt: true, replacedById: true },
    orderBy: { createdAt: 'desc' as const },
  },
} as const;

export type SubscriptionRow = Prisma.ApiSubscriptionGetPayload<{ select: typeof SUBSCRIPTION_SELECT }>;

export interface PlanVersionRow {
  id: string;
  planId: string;
  version: number;
  pricing: Prisma.JsonValue;
  limits: Prisma.JsonValue;
  operations: Prisma.JsonValue;
}

export interface SubscribableListing {
  id: string;
  organizationId: string;
  slug: string;
  visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE';
  status: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
}

export interface SubscribablePlan {
  id: string;
  slug: string;
  currentVersionId: string | null;
  archivedAt: Date | null;
}

/**
 * Subscriptions, as their consumer organization sees them: every query filters by the
 * consumer organization first. The listing and plan lookups of `subscribe` read the publisher's
 * rows by slug on purpose (a consumer subscribes to another organization's API); the service
 * applies the catalog's visibility rules before anything of them is returned.
 */
@Injectable()
export class SubscriptionsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 10_000 });
  }

  /** The listing by slug, locked for the transaction: concurrent subscribes of one organization serialize here. */
  async lockListingBySlug(slug: string, tx: Tx): Promise<SubscribableListing | null> {
    const rows = await tx.$queryRaw<SubscribableListing[]>`
      SELECT id, "organizationId", slug, visibility::text AS visibility, status::text AS status FROM "ApiListing" WHERE slug = ${slug} FOR UPDATE`;
    return rows[0] ?? null;
  }

  findPlan(listingId: string, slug: string, tx?: Tx): Promise<SubscribablePlan | null> {
    return (tx ?? this.prisma).apiPlan.findFirst({ where: { listingId, slug }, select: { id: true, slug: true, currentVersionId: true, archivedAt: true } });
  }

  async hasOpenSubscription(scope: TenantScope, listingId: string, tx: Tx): Promise<boolean> {
    return (await tx.apiSubscription.count({ where: { consumerOrganizationId: scope.organizationId, listingId, status: { not: 'CANCELED' } } })) > 0;
  }

  create(
    scope: TenantScope,
    data: { listingId: string; publisherOrganizationId: string; planId: string; planVersionId: string; currentPeriodStart: Date; currentPeriodEnd: Date; spendCapMicros: bigint | null; createdById: string },
    tx: Tx,
  ): Promise<{ id: string }> {
    return tx.apiSubscription.create({ data: { consumerOrganizationId: scope.organizationId, ...data }, select: { id: true } });
  }

  list(scope: TenantScope): Promise<SubscriptionRow[]> {
    return this.prisma.apiSubscription.findMany({ where: { consumerOrganizationId: scope.organizationId }, select: SUBSCRIPTION_SELECT, orderBy: { createdAt: 'desc' } });
  }

  find(scope: TenantScope, id: string, tx?: Tx): Promise<SubscriptionRow | null> {
    return (tx ?? this.prisma).apiSubscription.findFirst({ where: { consumerOrganizationId: scope.organizationId, id }, select: SUBSCRIPTION_SELECT });
  }

  /** Locks the subscription row (plan changes, caps and cancels of one subscription serialize). */
  async lock(scope: TenantScope, id: string, tx: Tx): Promise<void> {
    await tx.$queryRaw`SELECT id FROM "ApiSubscription" WHERE id = ${id} AND "consumerOrganizationId" = ${scope.organizationId} FOR UPDATE`;
  }

  async versions(ids: string[], tx?: Tx): Promise<Map<string, PlanVersionRow>> {
    const rows = await (tx ?? this.prisma).apiPlanVersion.findMany({ where: { id: { in: [...new Set(ids)] } } });
    return new Map(rows.map((v) => [v.id, v]));
  }

  async publishers(ids: string[]): Promise<Map<string, { slug: string; name: string }>> {
    const rows = await this.prisma.organization.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, slug: true, name: true } });
    return new Map(rows.map((o) => [o.id, { slug: o.slug, name: o.name }]));
  }

  async changePlan(scope: TenantScope, id: string, change: { fromPlanVersionId: string; planId: string; planVersionId: string; actorId: string; at: Date }, tx: Tx): Promise<void> {
    await tx.apiSubscription.updateMany({ where: { consumerOrganizationId: scope.organizationId, id }, data: { planId: change.planId, planVersionId: change.planVersionId } });
    await tx.apiSubscriptionChange.create({ data: { subscriptionId: id, fromPlanVersionId: change.fromPlanVersionId, toPlanVersionId: change.planVersionId, actorId: change.actorId, at: change.at } });
  }

  async setSpendCap(scope: TenantScope, id: string, spendCapMicros: bigint | null, tx: Tx): Promise<void> {
    await tx.apiSubscription.updateMany({ where: { consumerOrganizationId: scope.organizationId, id }, data: { spendCapMicros } });
  }

  async cancel(scope: TenantScope, id: string, at: Date, tx: Tx): Promise<void> {
    await tx.apiSubscription.updateMany({ where: { consumerOrganizationId: scope.organizationId, id, status: { not: 'CANCELED' } }, data: { status: 'CANCELED', canceledAt: at } });
  }

  /** Cancels every open subscription of a listing (its project was deleted); the publisher's teardown, so not consumer-scoped. */
  async cancelAllOfListing(listingId: string, at: Date, tx: Tx): Promise<string[]> {
    const open = await tx.apiSubscription.findMany({ where: { listingId, status: { not: 'CANCELED' } }, select: { id: true } });
    await tx.apiSubscription.updateMany({ where: { listingId, status: { not: 'CANCELED' } }, data: { status: 'CANCELED', canceledAt: at } });
    return open.map((s) => s.id);
  }
}
