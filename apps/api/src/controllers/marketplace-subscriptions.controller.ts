import { Controller, Inject, Param } from '@nestjs/common';
import { SubscriptionsService } from '@slipway/marketplace';
import type { ChangePlanInput, CreatedSubscriptionDto, OrgActor, SetSpendCapInput, SubscriptionDto, subscribeInputSchema } from '@slipway/contracts';
import type { z } from 'zod';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Subscriptions of the consumer organization, `/orgs/:org/subscriptions/:subscriptionId`. */
@Controller()
export class MarketplaceSubscriptionsController {
  constructor(@Inject(SubscriptionsService) private readonly subscriptions: SubscriptionsService) {}

  @Route('listSubscriptions')
  list(@CurrentOrg() actor: OrgActor): Promise<SubscriptionDto[]> {
    return this.subscriptions.list(actor);
  }

  @Route('subscribe')
  subscribe(@CurrentOrg() actor: OrgActor, @ValidBody('subscribe') input: z.output<typeof subscribeInputSchema>): Promise<CreatedSubscriptionDto> {
    return this.subscriptions.subscribe(actor, input);
  }

  @Route('getSubscription')
  get(@CurrentOrg() actor: OrgActor, @Param('subscriptionId') id: string): Promise<SubscriptionDto> {
    return this.subscriptions.get(actor, id);
  }

  @Route('changeSubscriptionPlan')
  changePlan(@CurrentOrg() actor: OrgActor, @Param('subscriptionId') id: string, @ValidBody('changeSubscriptionPlan') input: ChangePlanInput): Promise<SubscriptionDto> {
    return this.subscriptions.changePlan(actor, id, input);
  }

  @Route('setSubscriptionSpendCap')
  setSpendCap(@CurrentOrg() actor: OrgActor, @Param('subscriptionId') id: string, @ValidBody('setSubscriptionSpendCap') input: SetSpendCapInput): Promise<SubscriptionDto> {
    return this.subscriptions.setSpendCap(actor, id, input);
  }

  @Route('cancelSubscription')
  cancel(@CurrentOrg() actor: OrgActor, @Param('subscriptionId') id: string): Promise<SubscriptionDto> {
    return this.subscriptions.cancel(actor, id);
  }
}
