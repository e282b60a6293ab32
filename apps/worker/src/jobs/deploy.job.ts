import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DeployRelease } from '@slipway/deployments';
import { JobWorkers } from '@slipway/queue';

/** Puts a release live (or rolls back); one deployment at a time per environment is the domain's rule. */
@Injectable()
export class DeployJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('deploy-job');

  constructor(
    private readonly workers: JobWorkers,
    private readonly deploy: DeployRelease,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.register('deploy', (job) => this.handle(job), 2);
  }

  async handle(job: { organizationId: string; deploymentId: string }): Promise<void> {
    await this.deploy.execute({ organizationId: job.organizationId }, job.deploymentId);
    this.logger.log(`deployment ${job.deploymentId} finished`);
  }
}
