import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Reconciler } from '@slipway/deployments';
import { JobSchedules } from '@slipway/queue';

/**
 * The reconciler, every few seconds (SCHEDULED_JOBS.reconcile), as a BullMQ job scheduler: one
 * pass per interval whatever the number of workers, never two passes at once.
 */
@Injectable()
export class ReconcileSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly reconciler: Reconciler,
    private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('reconcile', async () => {
      await this.reconciler.run();
    });
  }
}
