import { Injectable } from '@nestjs/common';
import { ACTIVE_STATUSES } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';

/** A release whose image has not been removed, and whether the rollback window keeps it. */
export interface RetainedRelease {
  id: string;
  imageId: string;
  /** Among the last `keep` releases of its environment, live, or the target of a queued or running deployment. */
  keep: boolean;
}

/**
 * What image retention reads and writes. Deliberately across every organization (like the route
 * table): the engine's images are the installation's, not a tenant's. Nothing here is reachable
 * from a request.
 */
@Injectable()
export class ImageRetentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Every release whose image is still there. The window is counted over all releases of the
   * environment (removed ones included), so raising RELEASE_IMAGES_KEEP never pulls an older
   * release into it.
   */
  async releasesOfAllTenants(keep: number): Promise<RetainedRelease[]> {
    return this.prisma.$queryRaw<RetainedRelease[]>`
      SELECT ranked.id, ranked."imageId", ranked.keep FROM (
        SELECT r.id, r."imageId", r."imageRemovedAt",
          (row_number() OVER (PARTITION BY r."environmentId" ORDER BY r.number DESC) <= ${keep}
            OR e."liveReleaseId" = r.id
            OR EXISTS (SELECT 1 FROM "Deployment" d WHERE d."releaseId" = r.id AND d.status::text = ANY(${[...ACTIVE_STATUSES]})))
            AS keep
        FROM "Release" r JOIN "Environment" e ON e.id = r."environmentId"
      ) ranked
      WHERE ranked."imageRemovedAt" IS NULL`;
  }

  /** Builds of this database among `buildIds` (an image's `slipway.build` label), with their project and state. */
  async buildsOfAllTenants(buildIds: string[]): Promise<{ id: string; projectId: string; status: string }[]> {
    if (buildIds.length === 0) return [];
    return this.prisma.build.findMany({ where: { id: { in: buildIds } }, select: { id: true, projectId: true, status: true } });
  }

  /**
   * Projects with a build queued or running: such a build may be about to reuse an earlier image
   * of its project (same cache key) that no release keeps yet, so their images wait a pass.
   */
  async projectsBuildingOfAllTenants(): Promise<Set<string>> {
    const rows = await this.prisma.build.findMany({
      where: { status: { in: [...ACTIVE_STATUSES] } },
      select: { projectId: true },
      distinct: ['projectId'],
    });
    return new Set(rows.map((r) => r.projectId));
  }

  /**
   * Records that the releases' image is being removed, before it is: from then on a rollback to
   * them is refused. Conditional, so a release that became live or got a deployment since it was
   * read is left alone; returns the ids it marked.
   */
  async markImageRemoved(releaseIds: string[]): Promise<string[]> {
    if (releaseIds.length === 0) return [];
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Release" r SET "imageRemovedAt" = now()
      WHERE r.id = ANY(${releaseIds}) AND r."imageRemovedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "Environment" e WHERE e."liveReleaseId" = r.id)
        AND NOT EXISTS (SELECT 1 FROM "Deployment" d WHERE d."releaseId" = r.id AND d.status::text = ANY(${[...ACTIVE_STATUSES]}))
      RETURNING r.id`;
    return rows.map((r) => r.id);
  }

  /** Undoes markImageRemoved when the engine kept the image after all (a container uses it). */
  async unmarkImageRemoved(releaseIds: string[]): Promise<void> {
    if (releaseIds.length === 0) return;
    await this.prisma.release.updateMany({ where: { id: { in: releaseIds } }, data: { imageRemovedAt: null } });
  }
}
