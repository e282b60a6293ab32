import { Global, Module } from '@nestjs/common';
import { DeploymentsModule, RELEASE_LIVE_HOOK } from '@slipway/deployments';
import { CatalogRepository } from './catalog/catalog.repository';
import { CatalogService } from './catalog/catalog.service';
import { EdgeRecordsRepository } from './edge-records/edge-records.repository';
import { EdgeRecords } from './edge-records/edge-records.service';
import { EdgeRecordsStore } from './edge-records/edge-records.store';
import { ConsumerKeysRepository } from './keys/consumer-keys.repository';
import { ConsumerKeysService } from './keys/consumer-keys.service';
import { ListingUrls } from './listings/listing-urls';
import { ListingsRepository } from './listings/listings.repository';
import { ListingsService } from './listings/listings.service';
import { PlansRepository } from './plans/plans.repository';
import { PlansService } from './plans/plans.service';
import { SpecsRepository } from './specs/specs.repository';
import { SpecsService } from './specs/specs.service';
import { SubscriptionsRepository } from './subscriptions/subscriptions.repository';
import { SubscriptionsService } from './subscriptions/subscriptions.service';

/**
 * The marketplace, publisher and consumer side: listings, OpenAPI documents, plans, the
 * catalog, subscriptions, consumer keys and the edge's records. Global so that DeployRelease
 * (inside DeploymentsModule) sees RELEASE_LIVE_HOOK wherever both are imported. Relies on the
 * global Db, Config, Crypto, Redis and Audit modules.
 */
@Global()
@Module({
  imports: [DeploymentsModule],
  providers: [
    ListingUrls,
    ListingsRepository,
    ListingsService,
    SpecsRepository,
    SpecsService,
    { provide: RELEASE_LIVE_HOOK, useExisting: SpecsService },
    PlansRepository,
    PlansService,
    CatalogRepository,
    CatalogService,
    SubscriptionsRepository,
    SubscriptionsService,
    ConsumerKeysRepository,
    ConsumerKeysService,
    EdgeRecordsRepository,
    EdgeRecordsStore,
    EdgeRecords,
  ],
  exports: [ListingsService, SpecsService, PlansService, CatalogService, SubscriptionsService, ConsumerKeysService, EdgeRecords, RELEASE_LIVE_HOOK],
})
export class MarketplaceModule {}
