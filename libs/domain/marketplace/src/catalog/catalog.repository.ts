import { Inject, Injectable } from '@nestjs/common';
import type { ApiCategory } from '@slipway/contracts';
import { PrismaService, type Prisma } from '@slipway/db';

const ENTRY_SELECT = {
  id: true,
  organizationId: true,
  slug: true,
  name: true,
  summary: true,
  category: true,
  visibility: true,
  termsUrl: true,
  operations: true,
  publishedAt: true,
} as const;
export type CatalogRow = Prisma.ApiListingGetPayload<{ select: typeof ENTRY_SELECT }>;

/**
 * The public catalog: reads listings of every organization on purpose, but only PUBLISHED ones,
 * and only the columns the catalog shows (never the secret or the environment). Visibility
 * beyond PUBLIC is the service's rule.
 */
@Injectable()
export class CatalogRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async search(query: { q?: string; category?: ApiCategory; skip: number; take: number }): Promise<{ rows: CatalogRow[]; total: number }> {
    const words = (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
    const where: Prisma.ApiListingWhereInput = {
      status: 'PUBLISHED',
      visibility: 'PUBLIC',
      ...(query.category ? { category: query.category } : {}),
      AND: words.map((w) => ({ OR: [{ name: { contains: w, mode: 'insensitive' as const } }, { summary: { contains: w, mode: 'insensitive' as const } }, { slug: { contains: w.toLowerCase() } }] })),
    };
    const [rows, total] = await Promise.all([
      this.prisma.apiListing.findMany({ where, select: ENTRY_SELECT, orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }], skip: query.skip, take: query.take }),
      this.prisma.apiListing.count({ where }),
    ]);
    return { rows, total };
  }

  publishedBySlug(slug: string): Promise<CatalogRow | null> {
    return this.prisma.apiListing.findFirst({ where: { slug, status: 'PUBLISHED' }, select: ENTRY_SELECT });
  }

  async isMember(userId: string, organizationId: string): Promise<boolean> {
    return (await this.prisma.membership.count({ where: { organizationId, userId } })) > 0;
  }

  async publishers(ids: string[]): Promise<Map<string, { slug: string; name: string }>> {
    const rows = await this.prisma.organization.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, slug: true, name: true } });
    return new Map(rows.map((o) => [o.id, { slug: o.slug, name: o.name }]));
  }

  /** Plans open to new subscriptions, with their current version. */
  async openPlans(listingId: string) {
    const plans = await this.prisma.apiPlan.findMany({ where: { listingId, archivedAt: null, currentVersionId: { not: null } }, orderBy: { createdAt: 'asc' } });
    const versions = await this.prisma.apiPlanVersion.findMany({ where: { id: { in: plans.map((p) => p.currentVersionId!) } } });
    const byId = new Map(versions.map((v) => [v.id, v]));
    return plans.flatMap((p) => {
      const version = byId.get(p.currentVersionId!);
      return version ? [{ ...p, version }] : [];
    });
  }

  async newestDocument(listingId: string): Promise<Prisma.JsonValue | null> {
    const row = await this.prisma.apiSpecVersion.findFirst({ where: { listingId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { document: true } });
    return row?.document ?? null;
  }
}
