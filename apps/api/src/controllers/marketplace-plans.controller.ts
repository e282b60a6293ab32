import { Controller, Inject, Param } from '@nestjs/common';
import { PlansService } from '@slipway/marketplace';
import type { OrgActor, PublisherApiPlanDto, createApiPlanInputSchema, updateApiPlanInputSchema } from '@slipway/contracts';
import type { z } from 'zod';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Plans of a listing, `/orgs/:org/apis/:api/plans/:plan`. */
@Controller()
export class MarketplacePlansController {
  constructor(@Inject(PlansService) private readonly plans: PlansService) {}

  @Route('listApiPlans')
  list(@CurrentOrg() actor: OrgActor, @Param('api') api: string): Promise<PublisherApiPlanDto[]> {
    return this.plans.list(actor, api);
  }

  @Route('createApiPlan')
  create(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @ValidBody('createApiPlan') input: z.output<typeof createApiPlanInputSchema>): Promise<PublisherApiPlanDto> {
    return this.plans.create(actor, api, input);
  }

  @Route('updateApiPlan')
  update(
    @CurrentOrg() actor: OrgActor,
    @Param('api') api: string,
    @Param('plan') plan: string,
    @ValidBody('updateApiPlan') input: z.output<typeof updateApiPlanInputSchema>,
  ): Promise<PublisherApiPlanDto> {
    return this.plans.update(actor, api, plan, input);
  }

  @Route('archiveApiPlan')
  archive(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('plan') plan: string): Promise<PublisherApiPlanDto> {
    return this.plans.archive(actor, api, plan);
  }

  @Route('deleteApiPlan')
  async delete(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @Param('plan') plan: string): Promise<void> {
    await this.plans.delete(actor, api, plan);
  }
}
