import { Controller, Inject, Param } from '@nestjs/common';
import { GatewayUsageService } from '@slipway/gateway';
import { ProjectsService } from '@slipway/projects';
import type { GatewayRequestDto, GatewayRequestsQuery, GatewayUsageDto, GatewayUsageQuery, OrgActor } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Gateway traffic of `/orgs/:org/projects/:project`: recent requests and the period's usage (the console's table and budget bars). */
@Controller()
export class GatewayUsageController {
  constructor(
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(GatewayUsageService) private readonly usage: GatewayUsageService,
  ) {}

  @Route('listGatewayRequests')
  async requests(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @ValidQuery('listGatewayRequests') query: GatewayRequestsQuery,
  ): Promise<GatewayRequestDto[]> {
    return this.usage.listRequests(actor, await this.projects.require(actor, project), query);
  }

  @Route('gatewayUsage')
  async totals(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @ValidQuery('gatewayUsage') query: GatewayUsageQuery,
  ): Promise<GatewayUsageDto> {
    return this.usage.usage(actor, await this.projects.require(actor, project), query);
  }
}
