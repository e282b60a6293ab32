import { Controller, Inject, Param } from '@nestjs/common';
import { GatewayDefaultsService, GatewayLimits } from '@slipway/gateway';
import { EnvironmentsService } from '@slipway/projects';
import {
  gatewayBudgetUsageSchema,
  type GatewayBudgetUsageDto,
  type GatewayBudgetsQuery,
  type GatewayConfig,
  type OrgActor,
} from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/**
 * Budget spend of `/orgs/:org/projects/:project` for the console's usage bars: the budgets are
 * those of the environment's effective routing (live release, else organization defaults), the
 * spend is what the gateway's own Redis counters hold, so the bars show exactly what is enforced.
 */
@Controller()
export class GatewayBudgetsController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(GatewayDefaultsService) private readonly defaults: GatewayDefaultsService,
    @Inject(GatewayLimits) private readonly limits: GatewayLimits,
  ) {}

  @Route('gatewayBudgets')
  async budgets(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @ValidQuery('gatewayBudgets') query: GatewayBudgetsQuery,
  ): Promise<GatewayBudgetUsageDto[]> {
    const env = await this.environments.resolve(actor, project, query.environment);
    const routing = await this.defaults.effective(actor, env.id);
    // `effective` returns a config it has already validated (release, defaults or built-in).
    const usage = await this.limits.usage(routing.config as GatewayConfig, {
      organizationId: actor.organizationId,
      projectId: env.projectId,
    });
    return gatewayBudgetUsageSchema.array().parse(usage);
  }
}
