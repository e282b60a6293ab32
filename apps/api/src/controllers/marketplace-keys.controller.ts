import { Controller, Inject, Param } from '@nestjs/common';
import { ConsumerKeysService } from '@slipway/marketplace';
import type { ConsumerKeyDto, CreatedConsumerKeyDto, OrgActor, createConsumerKeyInputSchema, rerollConsumerKeyInputSchema } from '@slipway/contracts';
import type { z } from 'zod';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Keys of a subscription, `/orgs/:org/subscriptions/:subscriptionId/keys/:keyId`. */
@Controller()
export class MarketplaceKeysController {
  constructor(@Inject(ConsumerKeysService) private readonly keys: ConsumerKeysService) {}

  @Route('listConsumerKeys')
  list(@CurrentOrg() actor: OrgActor, @Param('subscriptionId') subscriptionId: string): Promise<ConsumerKeyDto[]> {
    return this.keys.list(actor, subscriptionId);
  }

  @Route('createConsumerKey')
  create(@CurrentOrg() actor: OrgActor, @Param('subscriptionId') subscriptionId: string, @ValidBody('createConsumerKey') input: z.output<typeof createConsumerKeyInputSchema>): Promise<CreatedConsumerKeyDto> {
    return this.keys.create(actor, subscriptionId, input);
  }

  @Route('rerollConsumerKey')
  reroll(
    @CurrentOrg() actor: OrgActor,
    @Param('subscriptionId') subscriptionId: string,
    @Param('keyId') keyId: string,
    @ValidBody('rerollConsumerKey') input: z.output<typeof rerollConsumerKeyInputSchema>,
  ): Promise<CreatedConsumerKeyDto> {
    return this.keys.reroll(actor, subscriptionId, keyId, input);
  }

  @Route('revokeConsumerKey')
  async revoke(@CurrentOrg() actor: OrgActor, @Param('subscriptionId') subscriptionId: string, @Param('keyId') keyId: string): Promise<void> {
    await this.keys.revoke(actor, subscriptionId, keyId);
  }
}
