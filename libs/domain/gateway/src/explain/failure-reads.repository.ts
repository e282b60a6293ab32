import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';

/** Lines of a build log sent to the model: the end is where a build says why it stopped. */
export const LOG_TAIL_LINES = 150;
/** Timeline steps of a deployment sent to the model, newest kept. */
export const TIMELINE_STEPS = 60;

/**
 * Read-only views of a failed build or deployment for "Explain this failure". Kept here rather
 * than asked of the builds and deployments contexts, because those depend on the gateway
 * (deployments hand out gateway keys) and the gateway must not depend back on them. Every read
 * is confined to the tenant and to the project or environment the caller resolved.
 */
@Injectable()
export class FailureReadsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async build(scope: TenantScope, projectId: string, buildId: string) {
    return this.prisma.build.findFirst({
      where: { id: buildId, projectId, organizationId: scope.organizationId },
      select: {
        id: true,
        status: true,
        environmentId: true,
        commitSha: true,
        branch: true,
        message: true,
        failureReason: true,
        environment: { select: { name: true, project: { select: { name: true } } } },
      },
    });
  }

  /** The last LOG_TAIL_LINES lines of a build (stored already redacted), oldest first. */
  async buildLogTail(scope: TenantScope, buildId: string): Promise<string[]> {
    const rows = await this.prisma.buildLogLine.findMany({
      where: { buildId, build: { organizationId: scope.organizationId } },
      orderBy: { seq: 'desc' },
      take: LOG_TAIL_LINES,
      select: { line: true },
    });
    return rows.reverse().map((r) => r.line);
  }

  async deployment(scope: TenantScope, environmentId: string, deploymentId: string) {
    const found = await this.prisma.deployment.findFirst({
      where: { id: deploymentId, environmentId, organizationId: scope.organizationId },
      select: {
        id: true,
        kind: true,
        status: true,
        environmentId: true,
        failureReason: true,
        failedReplicaLogs: true,
        release: { select: { number: true, commitSha: true, message: true } },
        environment: { select: { name: true, project: { select: { name: true } } } },
        events: {
          orderBy: [{ at: 'desc' }, { id: 'desc' }],
          take: TIMELINE_STEPS,
          select: { at: true, step: true, message: true, level: true },
        },
      },
    });
    return found ? { ...found, events: found.events.reverse() } : null;
  }
}

export type FailedBuildRow = NonNullable<Awaited<ReturnType<FailureReadsRepository['build']>>>;
export type FailedDeploymentRow = NonNullable<Awaited<ReturnType<FailureReadsRepository['deployment']>>>;
