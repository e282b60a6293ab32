import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TrafficCollector } from '@slipway/observability';
import { JobSchedules } from '@slipway/queue';

/**
 * Every few seconds (SCHEDULED_JOBS['traffic-collect']), once across all workers: the edge's
 * per-release samples go from the Redis stream into PostgreSQL with their minute and hour
 * rollups, and the acknowledged entries are trimmed. A pass handles at most 20,000 entries
 * (the rest waits for the next one), so a backlog after an outage drains in bounded steps.
 */
@Injectable()
export class TrafficCollectSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('traffic-collect');

  constructor(
    @Inject(TrafficCollector) private readonly collector: TrafficCollector,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('traffic-collect', async () => {
      const { read, skipped } = await this.collector.collect();
      if (skipped > 0) this.logger.warn(`${skipped} of ${read} edge metrics entries could not be stored (see the warnings above)`);
    });
  }
}
