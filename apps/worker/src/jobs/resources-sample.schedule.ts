import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { ResourceSampler } from '@slipway/observability';
import { JobSchedules } from '@slipway/queue';

/**
 * Every RESOURCES_SAMPLE_SECONDS, once across all workers: one-shot Docker stats of every
 * running replica (CPU from the delta since the previous pass, memory without the page cache)
 * and the replicas' lifecycle events since the last pass (restarts, OOM kills) into PostgreSQL.
 * A pass reads a few containers at a time, each bounded by a timeout.
 */
@Injectable()
export class ResourcesSampleSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('resources-sample');

  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'RESOURCES_SAMPLE_SECONDS'>,
    @Inject(ResourceSampler) private readonly sampler: ResourceSampler,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule(
      'resources-sample',
      async () => {
        const { containers, failed } = await this.sampler.sample();
        if (failed > 0) this.logger.warn(`${failed} of ${containers} replica containers could not be read this pass (see the warnings above)`);
      },
      { everyMs: this.config.RESOURCES_SAMPLE_SECONDS * 1000 },
    );
  }
}
