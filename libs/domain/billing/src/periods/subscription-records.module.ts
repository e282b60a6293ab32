import { Global, Module } from '@nestjs/common';
import { SUBSCRIPTION_RECORD_PUBLISHER, type SubscriptionRecordPublisher } from './subscription-record-publisher';
import { EdgeRecords, MarketplaceModule } from '@slipway/marketplace';

/**
 * Billing changes a subscription's status and period (mark paid, past due, period roll); this
 * wires its port to the marketplace's edge-record writer so the edge sees the change at once
 * instead of at the next reconcile (≤ 60 s). Apps import it beside BillingModule; billing's
 * services themselves only know the port, so their tests run without the marketplace.
 */
@Global()
@Module({
  imports: [MarketplaceModule],
  providers: [{ provide: SUBSCRIPTION_RECORD_PUBLISHER, inject: [EdgeRecords], useFactory: (records: EdgeRecords): SubscriptionRecordPublisher => ({ publish: (id) => records.refreshSubscription(id) }) }],
  exports: [SUBSCRIPTION_RECORD_PUBLISHER],
})
export class SubscriptionRecordsModule {}
