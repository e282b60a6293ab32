import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { BillingPeriods } from '@slipway/billing';
import { CONFIG, type Config } from '@slipway/config';
import { JobSchedules } from '@slipway/queue';

/**
 * Every MARKETPLACE_BILLING_PERIODS_SECONDS, once across all workers: ended subscription periods
 * roll, drafts are recomputed from usage events, drafts past their grace are finalized, and the
 * balances the edge gates spend caps and prepaid credits by are reset from the truth.
 */
@Injectable()
export class ApiBillingPeriodsSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('api-billing-periods');

  constructor(
    @Inject(CONFIG) private readonly config: Pick<Config, 'MARKETPLACE_BILLING_PERIODS_SECONDS'>,
    @Inject(BillingPeriods) private readonly periods: BillingPeriods,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule(
      'api-billing-periods',
      async () => {
        const r = await this.periods.pass();
        if (r.rolled + r.finalized > 0) this.logger.log(`${r.rolled} periods rolled, ${r.finalized} invoices finalized, ${r.recomputed} drafts recomputed`);
      },
      { everyMs: this.config.MARKETPLACE_BILLING_PERIODS_SECONDS * 1000 },
    );
  }
}
