import { Module } from '@nestjs/common';
import { AnalyticsRepository } from './analytics/analytics.repository';
import { AnalyticsService } from './analytics/analytics.service';
import { ExportsRepository } from './exports/exports.repository';
import { ExportsService } from './exports/exports.service';
import { PaymentsRepository } from './payments/payments.repository';
import { PaymentsService } from './payments/payments.service';
import { PayoutsRepository } from './payouts/payouts.repository';
import { PayoutsService } from './payouts/payouts.service';

/**
 * Payments, payouts, exports and publisher analytics of published APIs, beside BillingModule
 * (metering, rating, invoices). PAYMENT_PROVIDER comes from the global `PaymentsModule` of
 * @slipway/payments (the api and the worker import it; a test puts its own in its place), and
 * SUBSCRIPTION_RECORD_PUBLISHER, shared with BillingModule, is optional (a no-op without it).
 */
@Module({
  providers: [
    PaymentsRepository,
    PaymentsService,
    PayoutsRepository,
    PayoutsService,
    ExportsRepository,
    ExportsService,
    AnalyticsRepository,
    AnalyticsService,
  ],
  exports: [PaymentsService, PayoutsService, ExportsService, AnalyticsService],
})
export class BillingPaymentsModule {}

