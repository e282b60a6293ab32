import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Prisma, type Tx } from '@slipway/db';

/** An ApiListing row without its sealed secret. */
export interface ListingRow {
  id: string;
  organizationId: string;
  projectId: string;
  environmentId: string;
  slug: string;
  name: string;
  summary: string;
  category: string;
  visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE';
  status: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
  termsUrl: string | null;
  openApiPath: string | null;
  operations: Prisma.JsonValue;
  billServerErrors: boolean;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface NewListing {
  projectId: string;
  environmentId: string;
  slug: string;
  name: string;
  summary: string;
  category: string;
  visibility: ListingRow['visibility'];
  termsUrl: string | null;
  openApiPath: string | null;
  operations: Prisma.InputJsonValue;
  billServerErrors: boolean;
  sealedEdgeSecret: string;
  createdById: string;
}

export type ListingChanges = Partial<Pick<NewListing, 'name' | 'summary' | 'category' | 'visibility' | 'termsUrl' | 'openApiPath' | 'operations' | 'billServerErrors'>>;

export interface EnvironmentOfListing {
  id: string;
  projectId: string;
  liveReleaseId: string | null;
}

/** Listings of the publisher organization. Tenant scope first, optional transaction last. */
@Injectable()
export class ListingsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 10_000 });
  }

  async findEnvironment(scope: TenantScope, projectSlug: string, environmentName: string): Promise<EnvironmentOfListing | null> {
    return this.prisma.environment.findFirst({
      where: { organizationId: scope.organizationId, name: environmentName, project: { slug: projectSlug, organizationId: scope.organizationId } },
      select: { id: true, projectId: true, liveReleaseId: true },
    });
  }

  async liveReleaseId(scope: TenantScope, environmentId: string, tx?: Tx): Promise<string | null> {
    const env = await (tx ?? this.prisma).environment.findFirst({ where: { organizationId: scope.organizationId, id: environmentId }, select: { liveReleaseId: true } });
    return env?.liveReleaseId ?? null;
  }

  /** Project slug and environment name of each environment id still present. */
  async environmentNames(scope: TenantScope, environmentIds: string[]): Promise<Map<string, { project: string; environment: string }>> {
    const rows = await this.prisma.environment.findMany({
      where: { organizationId: scope.organizationId, id: { in: environmentIds } },
      select: { id: true, name: true, project: { select: { slug: true } } },
    });
    return new Map(rows.map((r) => [r.id, { project: r.project.slug, environment: r.name }]));
  }

  create(scope: TenantScope, data: NewListing, tx: Tx): Promise<ListingRow> {
    return tx.apiListing.create({ data: { organizationId: scope.organizationId, ...data } });
  }

  list(scope: TenantScope): Promise<ListingRow[]> {
    return this.prisma.apiListing.findMany({ where: { organizationId: scope.organizationId }, orderBy: { createdAt: 'desc' } });
  }

  findBySlug(scope: TenantScope, slug: string, tx?: Tx): Promise<ListingRow | null> {
    return (tx ?? this.prisma).apiListing.findFirst({ where: { organizationId: scope.organizationId, slug } });
  }

  async update(scope: TenantScope, id: string, data: ListingChanges & { status?: ListingRow['status']; publishedAt?: Date | null; sealedEdgeSecret?: string }, tx: Tx): Promise<ListingRow> {
    await tx.apiListing.updateMany({ where: { organizationId: scope.organizationId, id }, data });
    return tx.apiListing.findFirstOrThrow({ where: { organizationId: scope.organizationId, id } });
  }

  /** Locks the listing row for the rest of the transaction (publish/unpublish/subscribe serialize on it). */
  async lock(scope: TenantScope, id: string, tx: Tx): Promise<void> {
    await tx.$queryRaw`SELECT id FROM "ApiListing" WHERE id = ${id} AND "organizationId" = ${scope.organizationId} FOR UPDATE`;
  }

  /** Listings of a deleted project that are not archived yet. */
  listOfProject(scope: TenantScope, projectId: string, tx?: Tx): Promise<ListingRow[]> {
    return (tx ?? this.prisma).apiListing.findMany({ where: { organizationId: scope.organizationId, projectId, status: { not: 'ARCHIVED' } } });
  }

  async projectExists(scope: TenantScope, projectId: string): Promise<boolean> {
    return (await this.prisma.project.count({ where: { organizationId: scope.organizationId, id: projectId } })) > 0;
  }
}
