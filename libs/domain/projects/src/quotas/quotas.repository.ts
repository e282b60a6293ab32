import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';
import type { TenantScope } from '@slipway/contracts';

export interface EnvironmentResources {
  id: string;
  replicas: number;
  memoryMb: number;
  /** The live release's `runtime` JSON, or null. */
  liveRuntime: unknown;
}

/** What the organization's quotas count, read under the organization's row lock. */
@Injectable()
export class QuotasRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Serializes every change the quotas count within one organization (project and environment
   * creation, resizing, new releases): each takes this lock first in its transaction, so two
   * parallel creations cannot both see the use from before the other.
   */
  async lockOrganization(scope: TenantScope, tx: Tx): Promise<void> {
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${scope.organizationId} FOR UPDATE`;
  }

  async projectCount(scope: TenantScope, tx?: Tx): Promise<number> {
    return (tx ?? this.prisma).project.count({ where: { organizationId: scope.organizationId } });
  }

  async environments(scope: TenantScope, tx?: Tx): Promise<EnvironmentResources[]> {
    const db = tx ?? this.prisma;
    const envs = await db.environment.findMany({
      where: { organizationId: scope.organizationId },
      select: { id: true, replicas: true, memoryMb: true, liveReleaseId: true },
    });
    const liveIds = envs.flatMap((e) => (e.liveReleaseId ? [e.liveReleaseId] : []));
    const releases = liveIds.length
      ? await db.release.findMany({
          where: { organizationId: scope.organizationId, id: { in: liveIds } },
          select: { id: true, runtime: true },
        })
      : [];
    const runtimes = new Map(releases.map((r) => [r.id, r.runtime as unknown]));
    return envs.map((e) => ({
      id: e.id,
      replicas: e.replicas,
      memoryMb: e.memoryMb,
      liveRuntime: e.liveReleaseId ? (runtimes.get(e.liveReleaseId) ?? null) : null,
    }));
  }
}
