import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ProjectTeardown } from '@slipway/deployments';
import { JobWorkers } from '@slipway/queue';

/** Removes a deleted project's containers (replicas and gateway relay) and its network. */
@Injectable()
export class TeardownJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('teardown-job');

  constructor(
    private readonly workers: JobWorkers,
    private readonly teardown: ProjectTeardown,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.register('teardown', (job) => this.handle(job), 1);
  }

  async handle(job: { organizationId: string; projectId: string }): Promise<void> {
    const { containersRemoved } = await this.teardown.execute({ organizationId: job.organizationId }, job.projectId);
    this.logger.log(`deleted project ${job.projectId}: removed ${containersRemoved} containers and its network`);
  }
}
