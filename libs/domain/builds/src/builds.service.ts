import { Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import type { TenantScope } from '@slipway/contracts';
import { AppError, notFound } from '@slipway/errors';
import type { CommitInfo } from '@slipway/git';
import { BuildsRepository, type BuildView } from './builds.repository';

@Injectable()
export class BuildsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: BuildsRepository,
  ) {}

  /**
   * Queues a build of a pushed commit for an environment. One build at a time per
   * environment: a newer push cancels builds of it that have not started yet.
   */
  async queue(scope: TenantScope, target: { projectId: string; environmentId: string; branch: string }, commit: CommitInfo) {
    return this.prisma.$transaction(async (tx) => {
      await tx.build.updateMany({
        where: { organizationId: scope.organizationId, environmentId: target.environmentId, status: 'QUEUED' },
        data: { status: 'CANCELLED', failureReason: `Superseded by ${commit.sha.slice(0, 7)}.`, finishedAt: new Date() },
      });
      return this.repository.create(
        scope,
        { ...target, commitSha: commit.sha, authorName: commit.authorName, authorEmail: commit.authorEmail, message: commit.message },
        tx,
      );
    });
  }

  async logLines(scope: TenantScope, buildId: string, afterSeq?: number) {
    return this.repository.logLines(scope, buildId, afterSeq);
  }

  async find(scope: TenantScope, buildId: string) {
    return this.repository.find(scope, buildId);
  }

  async releaseOfBuild(scope: TenantScope, buildId: string) {
    return this.repository.releaseOfBuild(scope, buildId);
  }

  /** The environments of a project that deploy pushes to `branch`. */
  async environmentsFollowing(scope: TenantScope, projectId: string, branch: string) {
    return this.repository.environmentsFollowing(scope, projectId, branch);
  }

  // ---- queries for the api and the console -------------------------------------------

  /** Builds of a project, newest first (the last 50). */
  async listForProject(scope: TenantScope, projectId: string): Promise<BuildView[]> {
    return this.repository.listForProject(scope, projectId);
  }

  /** One build of a project; NOT_FOUND outside the tenant or the project. */
  async view(scope: TenantScope, projectId: string, buildId: string): Promise<BuildView> {
    const found = await this.repository.findView(scope, projectId, buildId);
    if (!found) throw notFound('Build');
    return found;
  }

  /**
   * A user cancels a build. A QUEUED one becomes CANCELLED at once. A RUNNING one stays
   * RUNNING: `stopRequested` tells the caller to signal the worker running it, which finishes
   * it as CANCELLED. A final build cannot be cancelled.
   */
  async cancel(scope: TenantScope, projectId: string, buildId: string, by: string): Promise<{ build: BuildView; stopRequested: boolean }> {
    const build = await this.view(scope, projectId, buildId);
    if (build.status === 'QUEUED' && (await this.repository.cancelQueued(scope, build.id, `Cancelled by ${by}.`))) {
      return { build: await this.view(scope, projectId, buildId), stopRequested: false };
    }
    const now = build.status === 'QUEUED' ? await this.view(scope, projectId, buildId) : build;
    if (now.status === 'RUNNING') return { build: now, stopRequested: true };
    throw new AppError('VALIDATION_FAILED', `This build has already finished (${now.status.toLowerCase()}).`, [{ path: 'buildId', message: 'already final' }]);
  }
}

export type { BuildView } from './builds.repository';
