import { Module } from '@nestjs/common';
import { InvoiceDraftsService } from './invoices/invoice-drafts.service';
import { InvoiceStoreRepository } from './invoices/invoice-store.repository';
import { InvoicesRepository } from './invoices/invoices.repository';
import { InvoicesService } from './invoices/invoices.service';
import { UsageIngestFactory } from './metering/usage-ingest';
import { UsageIngestRepository } from './metering/usage-ingest.repository';
import { BillingPeriods } from './periods/billing-periods';

/**
 * Metering, rating, periods and invoices of published APIs. Needs DbModule, RedisModule and
 * CONFIG from the app. SUBSCRIPTION_RECORD_PUBLISHER is optional (a no-op without it).
 */
@Module({
  providers: [UsageIngestRepository, UsageIngestFactory, InvoiceStoreRepository, InvoiceDraftsService, InvoicesRepository, InvoicesService, BillingPeriods],
  exports: [UsageIngestFactory, InvoicesService, InvoiceDraftsService, BillingPeriods],
})
export class BillingModule {}
