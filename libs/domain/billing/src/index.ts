export { BillingModule } from './billing.module';
export { UsageIngest, UsageIngestFactory, MARKETPLACE_USAGE_STREAM_KEY, type UsageIngestOptions, type IngestCounts } from './metering/usage-ingest';
export { ratePeriod, rateTiers, versionSpans, mulDivHalfUp, type RatedInvoice, type RatedLine, type RatingInput } from './rating';
export * from './billing-payments.exports';
