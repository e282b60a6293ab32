import { Controller, Inject, Param } from '@nestjs/common';
import { ListingsService, SpecsService } from '@slipway/marketplace';
import type {
  ApiListingDto,
  ApiSpecDto,
  ApiSpecQuery,
  CreatedApiListingDto,
  OrgActor,
  RotatedEdgeSecretDto,
  UploadApiSpecInput,
  createApiListingInputSchema,
  updateApiListingInputSchema,
} from '@slipway/contracts';
import type { z } from 'zod';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody, ValidQuery } from '../http/params';

/** A publisher's API listings, `/orgs/:org/apis/:api` (`:api` = the listing's slug), and their OpenAPI documents. */
@Controller()
export class MarketplaceListingsController {
  constructor(
    @Inject(ListingsService) private readonly listings: ListingsService,
    @Inject(SpecsService) private readonly specs: SpecsService,
  ) {}

  @Route('listApiListings')
  list(@CurrentOrg() actor: OrgActor): Promise<ApiListingDto[]> {
    return this.listings.list(actor);
  }

  @Route('createApiListing')
  create(@CurrentOrg() actor: OrgActor, @ValidBody('createApiListing') input: z.output<typeof createApiListingInputSchema>): Promise<CreatedApiListingDto> {
    return this.listings.create(actor, input);
  }

  @Route('getApiListing')
  get(@CurrentOrg() actor: OrgActor, @Param('api') api: string): Promise<ApiListingDto> {
    return this.listings.get(actor, api);
  }

  @Route('updateApiListing')
  update(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @ValidBody('updateApiListing') input: z.output<typeof updateApiListingInputSchema>): Promise<ApiListingDto> {
    return this.listings.update(actor, api, input);
  }

  @Route('publishApiListing')
  publish(@CurrentOrg() actor: OrgActor, @Param('api') api: string): Promise<ApiListingDto> {
    return this.listings.publish(actor, api);
  }

  @Route('unpublishApiListing')
  unpublish(@CurrentOrg() actor: OrgActor, @Param('api') api: string): Promise<ApiListingDto> {
    return this.listings.unpublish(actor, api);
  }

  @Route('rotateApiListingSecret')
  rotateSecret(@CurrentOrg() actor: OrgActor, @Param('api') api: string): Promise<RotatedEdgeSecretDto> {
    return this.listings.rotateSecret(actor, api);
  }

  @Route('uploadApiSpec')
  uploadSpec(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @ValidBody('uploadApiSpec') input: UploadApiSpecInput): Promise<ApiSpecDto> {
    return this.specs.upload(actor, api, input);
  }

  @Route('getApiSpec')
  getSpec(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @ValidQuery('getApiSpec') query: ApiSpecQuery): Promise<ApiSpecDto> {
    return this.specs.get(actor, api, query);
  }
}
