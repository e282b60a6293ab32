import { Global, Module } from '@nestjs/common';
import { AnalyticsRepository } from './analytics/analytics.repository';
import { AnalyticsService } from './analytics/analytics.service';
import { ExportsRepository } from './exports/exports.repository';
import { ExportsService } from './exports/exports.service';
import { PaymentsRepository } from './payments/payments.repository';
import { PaymentsService } from './payments/payments.service';
import { ReconciledSubscriptionRecords, SUBSCRIPTION_RECORDS } from './payments/subscription-records.port';
import { PayoutsRepository } from './payouts/payouts.repository';
import { PayoutsService } from './payouts/payouts.service';

/**
 * Payments, payouts, exports and publisher analytics of published APIs, beside BillingModule
 * (metering, rating, invoices). Its two ports come from global modules the api and the worker
 * import: PAYMENT_PROVIDER (`PaymentsModule` of @slipway/payments) and SUBSCRIPTION_RECORDS
 * (`SubscriptionRecordsModule` below until the marketplace's edge-record writer is wired), so a
 * test or the lead's wiring can put its own in their place.
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

/** The default SUBSCRIPTION_RECORDS: nothing pushed, the marketplace's reconcile job rewrites the records within a minute. */
@Global()
@Module({ providers: [{ provide: SUBSCRIPTION_RECORDS, useClass: ReconciledSubscriptionRecords }], exports: [SUBSCRIPTION_RECORDS] })
export class SubscriptionRecordsModule {}
