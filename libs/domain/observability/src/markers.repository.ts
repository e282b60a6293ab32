import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type DeploymentKind, type DeploymentStatus } from '@slipway/db';

/** A finished deployment as a marker needs it. */
export interface MarkerDeploymentRow {
  id: string;
  kind: DeploymentKind;
  status: DeploymentStatus;
  automatic: boolean;
  reason: string | null;
  failureReason: string | null;
  previousReleaseId: string | null;
  finishedAt: Date | null;
  releaseId: string;
  release: { number: number; commitSha: string; authorName: string; message: string };
}

/** Deployments that succeeded or failed in a range (when they went live or failed), tenant scope first. */
@Injectable()
export class MarkersRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** The `take` most recent in [from, to], newest first. */
  async finishedDeployments(scope: TenantScope, environmentId: string, from: Date, to: Date, take: number): Promise<MarkerDeploymentRow[]> {
    return this.prisma.deployment.findMany({
      where: { organizationId: scope.organizationId, environmentId, status: { in: ['SUCCEEDED', 'FAILED'] }, finishedAt: { gte: from, lte: to } },
      orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
      take,
      select: {
        id: true,
        kind: true,
        status: true,
        automatic: true,
        reason: true,
        failureReason: true,
        previousReleaseId: true,
        finishedAt: true,
        releaseId: true,
        release: { select: { number: true, commitSha: true, authorName: true, message: true } },
      },
    });
  }

  /** Release numbers by id, within the tenant. */
  async releaseNumbers(scope: TenantScope, ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.release.findMany({ where: { organizationId: scope.organizationId, id: { in: [...ids] } }, select: { id: true, number: true } });
    return new Map(rows.map((r) => [r.id, r.number]));
  }
}
