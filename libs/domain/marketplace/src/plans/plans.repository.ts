import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@slipway/db';

export interface PlanRow {
  id: string;
  listingId: string;
  slug: string;
  name: string;
  currentVersionId: string | null;
  archivedAt: Date | null;
  createdAt: Date;
}

export interface VersionTerms {
  pricing: Prisma.InputJsonValue;
  limits: Prisma.InputJsonValue;
  /** Prisma.DbNull for "every operation". */
  operations: Prisma.InputJsonValue | typeof Prisma.DbNull;
}

/**
 * Plans of a listing. ApiPlan has no organization column: callers resolve the listing inside
 * the publisher organization first (ListingsService.require) and pass its id, so every query
 * here is confined to a listing the caller's tenant owns.
 */
@Injectable()
export class PlansRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 10_000 });
  }

  list(listingId: string): Promise<PlanRow[]> {
    return this.prisma.apiPlan.findMany({ where: { listingId }, orderBy: { createdAt: 'asc' } });
  }

  find(listingId: string, slug: string, tx?: Tx): Promise<PlanRow | null> {
    return (tx ?? this.prisma).apiPlan.findFirst({ where: { listingId, slug } });
  }

  /** Locks the plan row: version numbers and the delete check serialize on it. */
  async lock(listingId: string, planId: string, tx: Tx): Promise<void> {
    await tx.$queryRaw`SELECT id FROM "ApiPlan" WHERE id = ${planId} AND "listingId" = ${listingId} FOR UPDATE`;
  }

  async create(listingId: string, plan: { slug: string; name: string }, terms: VersionTerms, tx: Tx): Promise<PlanRow> {
    const created = await tx.apiPlan.create({ data: { listingId, slug: plan.slug, name: plan.name } });
    const version = await tx.apiPlanVersion.create({ data: { planId: created.id, version: 1, ...terms } });
    return tx.apiPlan.update({ where: { id: created.id }, data: { currentVersionId: version.id } });
  }

  /** A new version becomes current; the ones subscriptions use stay as they are. */
  async addVersion(plan: PlanRow, name: string | undefined, terms: VersionTerms, tx: Tx): Promise<PlanRow> {
    const last = await tx.apiPlanVersion.findFirst({ where: { planId: plan.id }, orderBy: { version: 'desc' }, select: { version: true } });
    const version = await tx.apiPlanVersion.create({ data: { planId: plan.id, version: (last?.version ?? 0) + 1, ...terms } });
    return tx.apiPlan.update({ where: { id: plan.id }, data: { currentVersionId: version.id, ...(name === undefined ? {} : { name }) } });
  }

  archive(plan: PlanRow, at: Date, tx: Tx): Promise<PlanRow> {
    return tx.apiPlan.update({ where: { id: plan.id }, data: { archivedAt: plan.archivedAt ?? at } });
  }

  async delete(plan: PlanRow, tx: Tx): Promise<void> {
    await tx.apiPlan.delete({ where: { id: plan.id } });
  }

  async versions(ids: string[]): Promise<Map<string, { id: string; version: number; pricing: Prisma.JsonValue; limits: Prisma.JsonValue; operations: Prisma.JsonValue }>> {
    const rows = await this.prisma.apiPlanVersion.findMany({ where: { id: { in: ids } } });
    return new Map(rows.map((v) => [v.id, v]));
  }

  /** Open (not canceled) subscriptions per plan. */
  async openSubscriptionCounts(planIds: string[], tx?: Tx): Promise<Map<string, number>> {
    const rows = await (tx ?? this.prisma).apiSubscription.groupBy({ by: ['planId'], where: { planId: { in: planIds }, status: { not: 'CANCELED' } }, _count: { _all: true } });
    return new Map(rows.map((r) => [r.planId, r._count._all]));
  }

  /** Any subscription (even canceled) still points at the plan: its row cannot go (invoices refer to its versions). */
  async anySubscription(planId: string, tx: Tx): Promise<boolean> {
    return (await tx.apiSubscription.count({ where: { planId } })) > 0;
  }
}
