import { Inject, Injectable, Optional } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { CONTAINER_RUNTIME, LABELS, type ContainerRuntime } from '@slipway/docker';
import { AppError } from '@slipway/errors';
import { ROUTE_TABLE_PUBLISHER } from './deploy-options';
import { DeploymentsRepository } from './deployments.repository';
import { removeImageAndTags } from './image-removal';
import { projectNetwork } from './project-network';
import { ProjectNetworks } from './networks/project-networks';
import type { RouteTablePublisher } from './route-table';

/** What the teardown removed from the engine. */
export interface ProjectTeardownResult {
  containersRemoved: number;
  /** Ids of the removed containers (the log collector's cursors are keyed by them). */
  containerIds: string[];
  imagesRemoved: number;
}

/**
 * What a deleted project leaves on the engine goes with it: its replicas, its gateway relay, its
 * network (whose subnet goes back to the pool) and the images of its releases (labelled `slipway.project`, so never an image of
 * another project or installation), and its hosts leave the edge's route table. The `teardown` job is enqueued inside
 * the deleting transaction (so it is never lost), which is why it waits for that commit.
 * Containers are found by their `slipway.project` label, never by name.
 */
@Injectable()
export class ProjectTeardown {
  constructor(
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(DeploymentsRepository) private readonly repository: Pick<DeploymentsRepository, 'projectExists'>,
    @Inject(ROUTE_TABLE_PUBLISHER) private readonly routes: RouteTablePublisher,
    @Optional() @Inject(ProjectNetworks) private readonly networks?: Pick<ProjectNetworks, 'free'>,
  ) {}

  /** Removes everything of the deleted project; a no-op the second time. */
  async execute(scope: TenantScope, projectId: string): Promise<ProjectTeardownResult> {
    if (await this.repository.projectExists(scope, projectId)) {
      throw new AppError('SERVICE_UNAVAILABLE', `Project ${projectId} still exists: its deletion has not committed yet.`, undefined, {
        retryable: true,
      });
    }
    const containers = await this.runtime.listContainers({ [LABELS.project]: projectId }, { all: true });
    for (const c of containers) await this.runtime.removeContainer(c.id, { force: true });
    await this.runtime.removeNetwork(projectNetwork(projectId));
    // Only once the network is gone (removeNetwork throws otherwise) may its subnet go to another project.
    await this.networks?.free(scope, projectId);
    await this.routes.publish();
    // After the containers: the engine refuses to remove an image a container (even a stopped one) uses.
    const images = await this.runtime.listImages({ [LABELS.project]: projectId });
    for (const image of images) await removeImageAndTags(this.runtime, image);
    return { containersRemoved: containers.length, containerIds: containers.map((c) => c.id), imagesRemoved: images.length };
  }
}
