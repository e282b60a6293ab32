import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Prisma } from '@slipway/db';

export interface SpecRow {
  id: string;
  listingId: string;
  releaseId: string | null;
  source: 'APP' | 'UPLOAD';
  document: Prisma.JsonValue;
  sha256: string;
  createdAt: Date;
}

/**
 * OpenAPI documents of listings. ApiSpecVersion has no organization column: callers pass a
 * listing they resolved inside their tenant, except `listingsFetchingFrom` which starts from
 * an environment of the scope.
 */
@Injectable()
export class SpecsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Stores the document once per listing (same sha256 = same row). Seeing it again makes it the
   * newest again, linked to the release that served it now: a release that goes back to an
   * earlier document shows that document, not the one of the release in between.
   */
  store(listingId: string, data: { source: 'APP' | 'UPLOAD'; releaseId: string | null; document: Prisma.InputJsonValue; sha256: string }): Promise<SpecRow> {
    return this.prisma.apiSpecVersion.upsert({
      where: { listingId_sha256: { listingId, sha256: data.sha256 } },
      create: { listingId, ...data },
      update: { createdAt: new Date(), source: data.source, ...(data.releaseId ? { releaseId: data.releaseId } : {}) },
    });
  }

  newest(listingId: string): Promise<SpecRow | null> {
    return this.prisma.apiSpecVersion.findFirst({ where: { listingId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  ofRelease(listingId: string, releaseId: string): Promise<SpecRow | null> {
    return this.prisma.apiSpecVersion.findFirst({ where: { listingId, releaseId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  /** Listings of an environment that take their document from the app, with the path. */
  listingsFetchingFrom(scope: TenantScope, environmentId: string): Promise<{ id: string; slug: string; openApiPath: string | null }[]> {
    return this.prisma.apiListing.findMany({
      where: { organizationId: scope.organizationId, environmentId, openApiPath: { not: null }, status: { not: 'ARCHIVED' } },
      select: { id: true, slug: true, openApiPath: true },
    });
  }
}
