import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PayoutsService } from '@slipway/billing';
import { JobSchedules } from '@slipway/queue';

/**
 * Hourly (SCHEDULED_JOBS['api-payouts']), once across all workers: a payout statement for each
 * publisher and each ended calendar month (UTC) that has none, 10 minutes after the month ends.
 * Statements are unique per publisher and month, so a retried or overlapping pass makes none twice.
 */
@Injectable()
export class ApiPayoutsSchedule implements OnApplicationBootstrap {
  constructor(
    @Inject(PayoutsService) private readonly payouts: PayoutsService,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('api-payouts', async () => {
      await this.payouts.createStatements();
    });
  }
}
