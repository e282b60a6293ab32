import { planLimitsSchema, planOperationSchema, planPricingSchema, type ApiPlanDto } from '@slipway/contracts';

export interface PlanWithVersion {
  id: string;
  slug: string;
  name: string;
  archivedAt: Date | null;
  createdAt: Date;
  version: { id: string; version: number; pricing: unknown; limits: unknown; operations: unknown };
}

/** The plan at one version. Stored terms were written through the contract; parse keeps the DTO honest. */
export function toApiPlanDto(p: PlanWithVersion): ApiPlanDto {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    version: p.version.version,
    versionId: p.version.id,
    pricing: planPricingSchema.parse(p.version.pricing),
    limits: planLimitsSchema.parse(p.version.limits),
    operations: planOperationSchema.array().nullable().parse(p.version.operations ?? null),
    archivedAt: p.archivedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  };
}
