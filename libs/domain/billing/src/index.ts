export * from './billing-payments.exports';
export { BillingModule } from './billing.module';
export { UsageIngest, UsageIngestFactory, MARKETPLACE_USAGE_STREAM_KEY, type UsageIngestOptions, type IngestCounts } from './metering/usage-ingest';
export { ratePeriod, rateTiers, versionSpans, mulDivHalfUp, type RatedInvoice, type RatedLine, type RatingInput } from './rating';
export { InvoicesService } from './invoices/invoices.service';
export { InvoiceDraftsService, type FinalizeHooks } from './invoices/invoice-drafts.service';
export { BillingPeriods, type PeriodsReport } from './periods/billing-periods';
export { SUBSCRIPTION_RECORD_PUBLISHER, noopSubscriptionRecordPublisher, type SubscriptionRecordPublisher } from './periods/subscription-record-publisher';
