import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PaymentsService } from '@slipway/billing';
import { JobSchedules } from '@slipway/queue';

/**
 * Every minute (SCHEDULED_JOBS['api-payments']), once across all workers: finalized API invoices
 * are handed to the payment provider (Stripe: one PaymentIntent each, idempotent per invoice;
 * manual: recorded, the consumer sees the bank-transfer instructions), and subscriptions with an
 * invoice unpaid past MARKETPLACE_PAYMENT_GRACE_DAYS become PAST_DUE (the edge answers 402).
 */
@Injectable()
export class ApiPaymentsSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('api-payments');

  constructor(
    @Inject(PaymentsService) private readonly payments: PaymentsService,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedules.schedule('api-payments', async () => {
      const { collected, failed, pastDue } = await this.payments.runPaymentsPass();
      if (collected || failed || pastDue.length) this.logger.log(`${collected} invoice(s) handed to the provider, ${failed} to retry, ${pastDue.length} subscription(s) now past due`);
    });
  }
}
