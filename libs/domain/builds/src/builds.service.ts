import { Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import type { TenantScope } from '@slipway/contracts';
import type { CommitInfo } from '@slipway/git';
import { BuildsRepository } from './builds.repository';

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
}
