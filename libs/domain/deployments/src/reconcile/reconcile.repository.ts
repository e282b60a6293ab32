import { Injectable } from '@nestjs/common';
import { PrismaService, type ReplicaState } from '@slipway/db';

/**
 * The reconciler's view across every tenant: it repairs the platform as a whole, so its
 * queries are deliberately not tenant-scoped; every write names the row it read.
 */
@Injectable()
export class ReconcileRepository {
  constructor(private readonly prisma: PrismaService) {}

  async replicasToWatch() {
    return this.prisma.replica.findMany({
      where: { state: { in: ['HEALTHY', 'CRASHED'] }, containerId: { not: null } },
      include: { deployment: { select: { id: true, release: { select: { runtime: true, number: true } } } } },
    });
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

  async failDeployment(id: string, reason: string): Promise<boolean> {
    const { count } = await this.prisma.deployment.updateMany({ where: { id, status: 'RUNNING' }, data: { status: 'FAILED', failureReason: reason, finishedAt: new Date() } });
    return count === 1;
  }

  async failBuild(id: string, reason: string): Promise<boolean> {
    const { count } = await this.prisma.build.updateMany({ where: { id, status: 'RUNNING' }, data: { status: 'FAILED', failureReason: reason, finishedAt: new Date() } });
    return count === 1;
  }

  /** QUEUED rows older than `before`: their job may have been lost with a Redis flush or a crash. */
  async waitingBuilds(before: Date) {
    return this.prisma.build.findMany({ where: { status: 'QUEUED', queuedAt: { lt: before } }, select: { id: true, organizationId: true } });
  }

  async waitingDeployments(before: Date) {
    return this.prisma.deployment.findMany({ where: { status: 'QUEUED', queuedAt: { lt: before } }, select: { id: true, organizationId: true } });
  }

  /** Projects with replicas that run or should (their networks need a gateway relay). */
  async projectsWithReplicas(): Promise<string[]> {
    const replicas = await this.prisma.replica.findMany({ where: { state: { in: ['STARTING', 'HEALTHY', 'CRASHED', 'DRAINING'] } }, select: { environmentId: true }, distinct: ['environmentId'] });
    if (!replicas.length) return [];
    const environments = await this.prisma.environment.findMany({ where: { id: { in: replicas.map((r) => r.environmentId) } }, select: { projectId: true }, distinct: ['projectId'] });
    return environments.map((e) => e.projectId);
  }

  /** Replica rows of these environments by container id, to tell our containers' orphans apart. */
  async replicasOfEnvironments(environmentIds: string[]) {
    const [envs, replicas] = await Promise.all([
      this.prisma.environment.findMany({ where: { id: { in: environmentIds } }, select: { id: true } }),
      this.prisma.replica.findMany({ where: { environmentId: { in: environmentIds }, containerId: { not: null } }, select: { containerId: true, containerName: true, state: true } }),
    ]);
    return { known: new Set(envs.map((e) => e.id)), replicas };
  }
}
