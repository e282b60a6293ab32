import { Inject, Injectable } from '@nestjs/common';
import type { Actor, TenantScope } from '@slipway/contracts';
import type { DeploymentKind } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { DeploymentsRepository } from './deployments.repository';

export interface DeployReleaseInput {
  releaseId: string;
  kind: DeploymentKind;
  createdById?: string | null;
  /** Why, when not by hand (an automatic rollback names the verdict). */
  reason?: string | null;
  /** Queued by the platform rather than a person or a push. */
  automatic?: boolean;
}

/** How a rollback was asked for: by a person (the default), or by the platform with its reason. */
export interface RollbackOptions {
  reason?: string;
  automatic?: boolean;
}

/**
 * Deployments as the api and the push see them. Creating one only queues a row (QUEUED); the
 * worker runs it with DeployRelease (jobId = deployment id).
 *
 * One deployment at a time per environment: a new one CANCELS the environment's QUEUED ones
 * (the newest intent wins, as with builds) and waits behind a RUNNING one (DeployRelease
 * refuses to start it with a retryable DeploymentBusyError until the running one finishes).
 */
@Injectable()
export class DeploymentsService {
  constructor(@Inject(DeploymentsRepository) private readonly repository: DeploymentsRepository) {}

  async deployRelease(scope: TenantScope, input: DeployReleaseInput) {
    const release = await this.repository.findRelease(scope, input.releaseId);
    if (!release) throw notFound('Release');
    return this.repository.transaction(async (tx) => {
      await this.repository.cancelQueued(scope, release.environmentId, `Superseded by a newer deployment of v${release.number}.`, tx);
      return this.repository.create(
        scope,
        {
          projectId: release.projectId,
          environmentId: release.environmentId,
          releaseId: release.id,
          kind: input.kind,
          createdById: input.createdById ?? null,
          reason: input.reason ?? null,
          automatic: input.automatic ?? false,
        },
        tx,
      );
    });
  }

  /**
   * Queues a ROLLBACK to an earlier release of the same environment: no rebuild, the release's
   * own image and pinned variables, the same health gate. Only a release older than the live
   * one whose build succeeded qualifies.
   */
  async rollback(scope: TenantScope, environmentId: string, releaseId: string, actor: Pick<Actor, 'userId'> | null, options: RollbackOptions = {}) {
    const env = await this.repository.findEnvironment(scope, environmentId);
    if (!env) throw notFound('Environment');
    const release = (await this.repository.successfulReleases(scope, environmentId)).find((r) => r.id === releaseId);
    if (!release) throw notFound('Release');
    const live = env.liveReleaseId ? await this.repository.findRelease(scope, env.liveReleaseId) : null;
    if (!live)
      throw new AppError('VALIDATION_FAILED', 'Nothing is live in this environment yet: deploy a release first.', [
        { path: 'releaseId', message: 'nothing to roll back from' },
      ]);
    if (release.id === live.id)
      throw new AppError('VALIDATION_FAILED', `v${release.number} is already live.`, [{ path: 'releaseId', message: 'already live' }]);
    if (release.imageRemovedAt) {
      // Refused here rather than by a deployment that would fail to start its replicas.
      throw new AppError(
        'RELEASE_IMAGE_REMOVED',
        `v${release.number}'s image was removed by image retention (RELEASE_IMAGES_KEEP keeps the last releases of each environment): deploy a newer release, or push its commit again to rebuild it.`,
        [{ path: 'releaseId', message: 'image removed' }],
      );
    }
    if (release.number > live.number) {
      throw new AppError(
        'VALIDATION_FAILED',
        `v${release.number} is newer than the live v${live.number}: deploy it instead of rolling back.`,
        [{ path: 'releaseId', message: 'not an earlier release' }],
      );
    }
    return this.deployRelease(scope, {
      releaseId: release.id,
      kind: 'ROLLBACK',
      createdById: actor?.userId ?? null,
      reason: options.reason ?? null,
      automatic: options.automatic ?? false,
    });
  }

  async find(scope: TenantScope, deploymentId: string) {
    const found = await this.repository.findWithRelease(scope, deploymentId);
    if (!found) throw notFound('Deployment');
    return found;
  }

  /** Newest first, with the release's number, commit and message. */
  async list(scope: TenantScope, environmentId: string) {
    return this.repository.listForEnvironment(scope, environmentId);
  }

  async timeline(scope: TenantScope, deploymentId: string) {
    await this.find(scope, deploymentId);
    return this.repository.events(scope, deploymentId);
  }

  async liveReleaseId(scope: TenantScope, environmentId: string): Promise<string | null> {
    return this.repository.liveReleaseId(scope, environmentId);
  }

  /** The organization's and the project's slugs (the console's paths are made of them). */
  async projectSlugs(scope: TenantScope, projectId: string): Promise<{ org: string; project: string }> {
    const found = await this.repository.projectSlugs(scope, projectId);
    if (!found) throw notFound('Project');
    return found;
  }

  async forRelease(scope: TenantScope, releaseId: string): Promise<{ id: string } | null> {
    return this.repository.latestForRelease(scope, releaseId);
  }

  /** What a live follower (a push, a console page) needs: status, failure and new timeline entries. */
  async progress(scope: TenantScope, deploymentId: string, afterId: bigint) {
    const found = await this.repository.progress(scope, deploymentId, afterId);
    if (!found) throw notFound('Deployment');
    return found;
  }

  /** Releases a rollback may target (every successful release of the environment, newest first). */
  async releases(scope: TenantScope, environmentId: string) {
    return this.repository.successfulReleases(scope, environmentId);
  }

  // ---- for the api and the console ------------------------------------------------------

  /** One deployment of an environment with its release and timeline; NOT_FOUND when it is another environment's. */
  async detail(scope: TenantScope, environmentId: string, deploymentId: string) {
    const found = await this.repository.findWithRelease(scope, deploymentId);
    if (!found || found.environmentId !== environmentId) throw notFound('Deployment');
    const release = await this.repository.findRelease(scope, found.releaseId);
    return { ...found, buildId: release?.buildId ?? null, events: await this.repository.events(scope, deploymentId) };
  }

  /**
   * Queues a REDEPLOY of the environment's live release: fresh replicas of the same image and
   * pinned variables, through the same health gate.
   */
  async redeploy(scope: TenantScope, environmentId: string, actor: Pick<Actor, 'userId'>) {
    const live = await this.repository.liveReleaseId(scope, environmentId);
    if (!live) {
      throw new AppError('VALIDATION_FAILED', 'Nothing is live in this environment yet: push to deploy a first release.', [
        { path: 'environment', message: 'nothing live to redeploy' },
      ]);
    }
    return this.deployRelease(scope, { releaseId: live, kind: 'REDEPLOY', createdById: actor.userId });
  }
}
