import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EdgeRecords } from '@slipway/marketplace';
import { JobSchedules } from '@slipway/queue';

/**
 * Every minute (SCHEDULED_JOBS['marketplace-edge-sync']), once across all workers: the edge's
 * marketplace records in Redis are rewritten from PostgreSQL, the record of truth. A write the
 * api lost (Redis away at the moment of a change) heals here; a pass never undoes an api write
 * made while it ran (it retries instead).
 */
@Injectable()
export class MarketplaceEdgeSyncSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('marketplace-edge-sync');

  constructor(
    @Inject(EdgeRecords) private readonly records: EdgeRecords,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('marketplace-edge-sync', async () => {
      const r = await this.records.reconcile();
      if (!r.applied) this.logger.warn('the api kept changing records during the pass; the next pass retries');
      else if (r.keysWritten + r.keysDeleted + r.subscriptionsWritten + r.subscriptionsDeleted > 0)
        this.logger.log(`healed: ${r.keysWritten} key records written, ${r.keysDeleted} deleted; ${r.subscriptionsWritten} subscription records written, ${r.subscriptionsDeleted} deleted`);
    });
  }
}
