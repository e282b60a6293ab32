import { Module } from '@nestjs/common';
import { UsageIngestFactory } from './metering/usage-ingest';
import { UsageIngestRepository } from './metering/usage-ingest.repository';

/** Metering, rating, periods and invoices of published APIs. Needs DbModule, RedisModule and CONFIG from the app. */
@Module({
  providers: [UsageIngestRepository, UsageIngestFactory],
  exports: [UsageIngestFactory],
})
export class BillingModule {}
