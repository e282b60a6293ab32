import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { ProjectTeardown } from '@slipway/deployments';
import { ProjectDataPurge } from '@slipway/observability';
import { ListingsService } from '@slipway/marketplace';
import { JobWorkers } from '@slipway/queue';

/**
 * Frees everything a deleted project held: on the engine its containers (replicas and gateway
 * relay), network and release images; in PostgreSQL its observability rows, which have no
 * foreign keys to cascade from (in bounded batches, here rather than in the deleting request).
 */
@Injectable()
export class TeardownJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('teardown-job');

  constructor(
    private readonly workers: JobWorkers,
    private readonly teardown: ProjectTeardown,
    private readonly purge: ProjectDataPurge,
    @Optional() @Inject(ListingsService) private readonly listings?: Pick<ListingsService, 'archiveProject'>,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.register('teardown', (job) => this.handle(job), 1);
  }

  async handle(job: { organizationId: string; projectId: string }): Promise<void> {
    const scope = { organizationId: job.organizationId };
    const engine = await this.teardown.execute(scope, job.projectId);
    const data = await this.purge.execute(scope, job.projectId, engine.containerIds);
    const rows = Object.values(data.rows).reduce((a, b) => a + b, 0);
    // Its API listings are archived and their subscriptions canceled (invoices and usage stay).
    await this.listings?.archiveProject(scope, job.projectId);
    this.logger.log(
      `deleted project ${job.projectId}: removed ${engine.containersRemoved} containers, its network, ${engine.imagesRemoved} images and ${rows} observability rows`,
    );
  }
}
