import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import type { createApiPlanInputSchema, OrgActor, PublisherApiPlanDto, TenantScope, updateApiPlanInputSchema } from '@slipway/contracts';
import { Prisma, isUniqueViolation, type Tx } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import type { z } from 'zod';
import { ListingsService } from '../listings/listings.service';
import { toApiPlanDto } from './plan.mapper';
import { PlansRepository, type PlanRow, type VersionTerms } from './plans.repository';

type Terms = Pick<z.output<typeof createApiPlanInputSchema>, 'pricing' | 'limits' | 'operations'>;

const termsOf = (input: Terms): VersionTerms => ({
  pricing: input.pricing,
  limits: input.limits,
  operations: input.operations ?? Prisma.DbNull,
});

/**
 * Plans of a listing, versioned: a change of price, limits or operations is a new version that
 * becomes current (new subscriptions get it at once); subscriptions keep the version they are
 * on until their next period, when the billing part's period roll moves them to the current one.
 */
@Injectable()
export class PlansService {
  constructor(
    @Inject(PlansRepository) private readonly repository: PlansRepository,
    @Inject(ListingsService) private readonly listings: ListingsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(scope: TenantScope, listingSlug: string): Promise<PublisherApiPlanDto[]> {
    const listing = await this.listings.require(scope, listingSlug);
    return this.toDtos(await this.repository.list(listing.id));
  }

  async create(actor: OrgActor, listingSlug: string, input: z.output<typeof createApiPlanInputSchema>): Promise<PublisherApiPlanDto> {
    const listing = await this.listings.require(actor, listingSlug);
    const plan = await this.repository
      .transaction(async (tx) => {
        const created = await this.repository.create(listing.id, { slug: input.slug, name: input.name }, termsOf(input), tx);
        await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.plan_created', target: `api:${listing.slug}/plan:${input.slug}`, metadata: { pricing: input.pricing.kind } }, tx);
        return created;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new AppError('PLAN_SLUG_TAKEN', `"${listing.slug}" already has a plan "${input.slug}".`, [{ path: 'slug', message: 'Already used in this API.' }]);
        throw err;
      });
    return (await this.toDtos([plan]))[0]!;
  }

  async update(actor: OrgActor, listingSlug: string, planSlug: string, input: z.output<typeof updateApiPlanInputSchema>): Promise<PublisherApiPlanDto> {
    const listing = await this.listings.require(actor, listingSlug);
    const plan = await this.repository.transaction(async (tx) => {
      const current = await this.requirePlan(listing.id, planSlug, tx);
      await this.repository.lock(listing.id, current.id, tx);
      const updated = await this.repository.addVersion(current, input.name, termsOf(input), tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.plan_updated', target: `api:${listing.slug}/plan:${planSlug}`, metadata: { versionId: updated.currentVersionId } }, tx);
      return updated;
    });
    return (await this.toDtos([plan]))[0]!;
  }

  async archive(actor: OrgActor, listingSlug: string, planSlug: string): Promise<PublisherApiPlanDto> {
    const listing = await this.listings.require(actor, listingSlug);
    const plan = await this.repository.transaction(async (tx) => this.repository.archive(await this.requirePlan(listing.id, planSlug, tx), new Date(), tx));
    return (await this.toDtos([plan]))[0]!;
  }

  async delete(actor: OrgActor, listingSlug: string, planSlug: string): Promise<void> {
    const listing = await this.listings.require(actor, listingSlug);
    await this.repository.transaction(async (tx) => {
      const plan = await this.requirePlan(listing.id, planSlug, tx);
      // Locked, so a subscribe committing now is either counted here or finds the plan gone.
      await this.repository.lock(listing.id, plan.id, tx);
      const open = (await this.repository.openSubscriptionCounts([plan.id], tx)).get(plan.id) ?? 0;
      if (open > 0)
        throw new AppError('PLAN_HAS_SUBSCRIPTIONS', `Plan "${planSlug}" has ${open} active subscription${open === 1 ? '' : 's'}: archive it to close it to new subscribers; delete it once they have ended.`);
      if (await this.repository.anySubscription(plan.id, tx))
        throw new AppError('PLAN_HAS_SUBSCRIPTIONS', `Plan "${planSlug}" has past subscriptions whose invoices refer to it: archive it instead.`);
      await this.repository.delete(plan, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'api.plan_deleted', target: `api:${listing.slug}/plan:${planSlug}` }, tx);
    });
  }

  private async requirePlan(listingId: string, slug: string, tx: Tx): Promise<PlanRow> {
    const plan = await this.repository.find(listingId, slug, tx);
    if (!plan) throw notFound(`Plan "${slug}"`);
    return plan;
  }

  private async toDtos(plans: PlanRow[]): Promise<PublisherApiPlanDto[]> {
    const versions = await this.repository.versions(plans.flatMap((p) => (p.currentVersionId ? [p.currentVersionId] : [])));
    const counts = await this.repository.openSubscriptionCounts(plans.map((p) => p.id));
    return plans.flatMap((p) => {
      const version = p.currentVersionId ? versions.get(p.currentVersionId) : undefined;
      return version ? [{ ...toApiPlanDto({ ...p, version }), activeSubscriptions: counts.get(p.id) ?? 0 }] : [];
    });
  }
}
