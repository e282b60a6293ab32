import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { RunBuild } from '@slipway/builds';
import { DeploymentsService } from '@slipway/deployments';
import { JobQueue, JobWorkers } from '@slipway/queue';

/** Runs a queued build; a successful one is deployed right away (the push waits for both). */
@Injectable()
export class BuildJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('build-job');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly workers: JobWorkers,
    private readonly queue: JobQueue,
    private readonly runBuild: RunBuild,
    private readonly deployments: DeploymentsService,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.register('build', (job) => this.handle(job), this.config.BUILD_CONCURRENCY);
  }

  async handle(job: { organizationId: string; buildId: string; objects: Record<string, string> }): Promise<void> {
    const scope = { organizationId: job.organizationId };
    const outcome = await this.runBuild.execute(scope, job.buildId, { objects: job.objects });
    this.logger.log(`build ${job.buildId}: ${outcome.status}`);
    if (outcome.status !== 'SUCCEEDED') return;
    const deployment = await this.deployments.deployRelease(scope, { releaseId: outcome.releaseId, kind: 'DEPLOY' });
    await this.queue.enqueue('deploy', deployment.id, { organizationId: job.organizationId, deploymentId: deployment.id });
  }
}
