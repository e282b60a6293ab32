import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';

/** Every allocation of every process takes this lock first (transaction-scoped advisory lock). */
const POOL_LOCK = 'slipway:project-network-pool';

export type Allocation = { subnet: string } | 'POOL_FULL' | 'NO_PROJECT';

/**
 * Which subnet of the pool each project's network uses. Tenant scope first; `orphans` and
 * `freeOrphan` are the reconciler's cross-tenant view (rows whose project is gone), as in
 * ReconcileRepository.
 */
@Injectable()
export class ProjectNetworksRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(scope: TenantScope, projectId: string): Promise<string | null> {
    const row = await this.prisma.projectNetwork.findFirst({
      where: { organizationId: scope.organizationId, projectId },
      select: { subnet: true },
    });
    return row?.subnet ?? null;
  }

  /**
   * Gives the project a subnet (its existing one if it has one). Allocations are serialized by
   * an advisory lock across every api and worker process, so the subnet `pick` chooses from the
   * rows read under the lock is still free when it is inserted; the unique index on `subnet` is
   * the last line of defence. The project must still exist in the organization.
   */
  async allocate(scope: TenantScope, projectId: string, pick: (taken: string[]) => string | null): Promise<Allocation> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${POOL_LOCK}))`;
      const existing = await tx.projectNetwork.findFirst({
        where: { organizationId: scope.organizationId, projectId },
        select: { subnet: true },
      });
      if (existing) return existing;
      if (!(await tx.project.count({ where: { organizationId: scope.organizationId, id: projectId } }))) return 'NO_PROJECT';
      const subnet = pick((await tx.projectNetwork.findMany({ select: { subnet: true } })).map((r) => r.subnet));
      if (!subnet) return 'POOL_FULL';
      await tx.projectNetwork.create({ data: { organizationId: scope.organizationId, projectId, subnet } });
      return { subnet };
    });
  }

  /** Frees the project's subnet (its network is gone). A no-op when it had none. */
  async free(scope: TenantScope, projectId: string): Promise<void> {
    await this.prisma.projectNetwork.deleteMany({ where: { organizationId: scope.organizationId, projectId } });
  }

  /** Allocations whose project no longer exists, across tenants (for the reconciler). */
  async orphans(): Promise<{ projectId: string; organizationId: string; subnet: string }[]> {
    return this.prisma.$queryRaw`
      SELECT n."projectId", n."organizationId", n."subnet" FROM "ProjectNetwork" n
      WHERE NOT EXISTS (SELECT 1 FROM "Project" p WHERE p."id" = n."projectId")
      ORDER BY n."createdAt"`;
  }

  /** Frees an orphan's subnet, unless its project came back meanwhile (ids are never reused, but be exact). */
  async freeOrphan(projectId: string): Promise<void> {
    await this.prisma.$executeRaw`
      DELETE FROM "ProjectNetwork" n WHERE n."projectId" = ${projectId}
      AND NOT EXISTS (SELECT 1 FROM "Project" p WHERE p."id" = n."projectId")`;
  }
}
