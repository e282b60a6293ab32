import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { LogsCollector } from '@slipway/observability';
import { JobSchedules } from '@slipway/queue';

/**
 * Every LOGS_COLLECT_SECONDS, once across all workers: the new stdout/stderr lines of every
 * replica container (running or exited) go into PostgreSQL, redacted, each container from its
 * cursor. Partitions ahead and retention are checked hourly by the same pass.
 */
@Injectable()
export class LogsCollectSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('logs-collect');

  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'LOGS_COLLECT_SECONDS'>,
    @Inject(LogsCollector) private readonly collector: LogsCollector,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule(
      'logs-collect',
      async () => {
        const { dropped, failed } = await this.collector.collect();
        if (dropped > 0) this.logger.warn(`${dropped} log lines dropped this pass (LOGS_MAX_BYTES_PER_MINUTE)`);
        if (failed > 0)
          this.logger.warn(
            `the logs of ${failed} containers could not be collected this pass (see the warnings above); the next pass reads them again`,
          );
      },
      { everyMs: this.config.LOGS_COLLECT_SECONDS * 1000 },
    );
  }
}
