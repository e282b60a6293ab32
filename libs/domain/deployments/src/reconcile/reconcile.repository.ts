import { Injectable } from '@nestjs/common';
import { ACTIVE_STATUSES } from '@slipway/contracts';
import { PrismaService, type ReplicaState } from '@slipway/db';

/**
 * The reconciler's view across every tenant: it repairs the platform as a whole, so its
 * queries are deliberately not tenant-scoped; every write names the row it read.
 */
@Injectable()
export class ReconcileRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Replicas whose container should run, with what a pass compares and reports: the columns it
   * reads, not whole rows (one per app, every few seconds). The release's runtime settings are
   * read by `releaseRuntime` for the few that restart.
   */
  async replicasToWatch() {
    const rows = await this.prisma.replica.findMany({
      where: { state: { in: ['HEALTHY', 'CRASHED'] }, containerId: { not: null } },
      select: {
        id: true,
        index: true,
        state: true,
        containerId: true,
        deploymentId: true,
        restarts: true,
        lastExitCode: true,
        nextRestartAt: true,
        deployment: { select: { release: { select: { number: true } } } },
      },
    });
    return rows.map(({ deployment, ...r }) => ({ ...r, releaseNumber: deployment.release.number }));
  }

  /** The runtime settings (health check path and timeout) of a deployment's release. */
  async releaseRuntime(deploymentId: string) {
    const d = await this.prisma.deployment.findUniqueOrThrow({ where: { id: deploymentId }, select: { release: { select: { runtime: true } } } });
    return d.release.runtime;
  }

  async markCrashed(id: string, data: { restarts: number; lastExitCode: number | null; nextRestartAt: Date }): Promise<void> {
    await this.prisma.replica.update({ where: { id }, data: { state: 'CRASHED', ...data } });
  }

  async setState(id: string, state: ReplicaState, data: { hostPort?: number; nextRestartAt?: Date | null } = {}): Promise<void> {
    await this.prisma.replica.update({ where: { id }, data: { state, ...data } });
  }

  async event(deploymentId: string, step: string, message: string, level: 'info' | 'warn' | 'error'): Promise<void> {
    await this.prisma.deploymentEvent.create({ data: { deploymentId, step, message, level } });
  }

  /** Deployments or builds RUNNING since before `before`: their worker is gone or stuck. */
  async stuckDeployments(before: Date) {
    return this.prisma.deployment.findMany({ where: { status: 'RUNNING', startedAt: { lt: before } }, select: { id: true, organizationId: true } });
  }

  async stuckBuilds(before: Date) {
    return this.prisma.build.findMany({ where: { status: 'RUNNING', startedAt: { lt: before } }, select: { id: true, organizationId: true } });
  }

  /** Fails a stuck deployment and takes it over (a new attempt), so a run that comes back writes nothing. */
  async failDeployment(id: string, reason: string): Promise<boolean> {
    const { count } = await this.prisma.deployment.updateMany({ where: { id, status: 'RUNNING' }, data: { status: 'FAILED', failureReason: reason, finishedAt: new Date(), attempt: { increment: 1 } } });
    return count === 1;
  }

  async failBuild(id: string, reason: string): Promise<boolean> {
    const { count } = await this.prisma.build.updateMany({ where: { id, status: 'RUNNING' }, data: { status: 'FAILED', failureReason: reason, finishedAt: new Date(), attempt: { increment: 1 } } });
    return count === 1;
  }

  /** QUEUED rows older than `before`, with the attempt their job was queued for (it may have been lost or failed). */
  async waitingBuilds(before: Date) {
    return this.prisma.build.findMany({ where: { status: 'QUEUED', queuedAt: { lt: before } }, select: { id: true, organizationId: true, attempt: true } });
  }

  async waitingDeployments(before: Date) {
    return this.prisma.deployment.findMany({ where: { status: 'QUEUED', queuedAt: { lt: before } }, select: { id: true, organizationId: true, attempt: true } });
  }

  /**
   * A new attempt for a QUEUED row whose job is gone: the attempt the row was queued for moves
   * on by one, and is returned (the new job's id is made of it). Null when the row was claimed,
   * cancelled or queued again meanwhile.
   */
  async nextBuildAttempt(id: string, attempt: number): Promise<number | null> {
    const { count } = await this.prisma.build.updateMany({ where: { id, status: 'QUEUED', attempt }, data: { attempt: attempt + 1 } });
    return count === 1 ? attempt + 1 : null;
  }

  async nextDeploymentAttempt(id: string, attempt: number): Promise<number | null> {
    const { count } = await this.prisma.deployment.updateMany({ where: { id, status: 'QUEUED', attempt }, data: { attempt: attempt + 1 } });
    return count === 1 ? attempt + 1 : null;
  }

  /**
   * Environments whose newest release was never deployed: its build, of the branch the
   * environment follows, succeeded before `builtBefore`, and no deployment of it exists — the
   * worker stopped between the build and its deployment, or the deployment could not be
   * written. Only the newest release counts (an older one would undo newer work), and only
   * while nothing else is queued or running there (a user's rollback, say).
   */
  async releasesNeverDeployed(builtBefore: Date) {
    // From the releases without any deployment (nearly always none), not from every
    // environment: a pass reads what needs repair, not one row per app (docs/capacity.md).
    const releases = await this.prisma.release.findMany({
      where: { deployments: { none: {} }, build: { status: 'SUCCEEDED', finishedAt: { lt: builtBefore } } },
      select: {
        id: true,
        number: true,
        organizationId: true,
        environmentId: true,
        build: { select: { branch: true } },
        environment: {
          select: {
            branch: true,
            releases: { orderBy: { number: 'desc' }, take: 1, select: { id: true } },
            deployments: { where: { status: { in: [...ACTIVE_STATUSES] } }, take: 1, select: { id: true } },
          },
        },
      },
    });
    return releases
      .filter((r) => r.environment.releases[0]?.id === r.id && r.build.branch === r.environment.branch && r.environment.deployments.length === 0)
      .map((r) => ({ organizationId: r.organizationId, environmentId: r.environmentId, releaseId: r.id, number: r.number }));
  }

  /**
   * Queues the first deployment of a release found by releasesNeverDeployed, checking again
   * under the environment's lock (the lock claims take) that it still has none and that nothing
   * else is queued or running there. Null when that changed meanwhile.
   */
  async queueFirstDeployment(release: { environmentId: string; releaseId: string }): Promise<{ id: string; attempt: number; organizationId: string } | null> {
    return this.prisma.$transaction(async (tx) => {
      const [env] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Environment" WHERE id = ${release.environmentId} FOR UPDATE`;
      if (!env) return null;
      if (await tx.deployment.count({ where: { releaseId: release.releaseId } })) return null;
      if (await tx.deployment.count({ where: { environmentId: release.environmentId, status: { in: [...ACTIVE_STATUSES] } } })) return null;
      const r = await tx.release.findUniqueOrThrow({ where: { id: release.releaseId }, select: { organizationId: true, projectId: true, environmentId: true } });
      return tx.deployment.create({ data: { ...r, releaseId: release.releaseId, kind: 'DEPLOY' }, select: { id: true, attempt: true, organizationId: true } });
    });
  }

  /** Projects with replicas that run or should (their networks need a gateway relay). */
  async projectsWithReplicas(): Promise<string[]> {
    const replicas = await this.prisma.replica.findMany({ where: { state: { in: ['STARTING', 'HEALTHY', 'CRASHED', 'DRAINING'] } }, select: { environmentId: true }, distinct: ['environmentId'] });
    if (!replicas.length) return [];
    const environments = await this.prisma.environment.findMany({ where: { id: { in: replicas.map((r) => r.environmentId) } }, select: { projectId: true }, distinct: ['projectId'] });
    return environments.map((e) => e.projectId);
  }

  /**
   * The replicas of these environments that want their container (starting, healthy, crashed or
   * draining), to tell our containers' orphans apart. Rows of stopped and failed replicas (every
   * past deployment's) are not read: they want nothing.
   */
  async replicasOfEnvironments(environmentIds: string[]) {
    const [envs, replicas] = await Promise.all([
      this.prisma.environment.findMany({ where: { id: { in: environmentIds } }, select: { id: true } }),
      this.prisma.replica.findMany({
        where: { environmentId: { in: environmentIds }, containerId: { not: null }, state: { in: ['STARTING', 'HEALTHY', 'CRASHED', 'DRAINING'] } },
        select: { containerId: true, containerName: true },
      }),
    ]);
    return { known: new Set(envs.map((e) => e.id)), replicas };
  }
}
