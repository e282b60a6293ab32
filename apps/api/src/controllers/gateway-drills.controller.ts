import { Controller, Inject, Param } from '@nestjs/common';
import { GatewayDrillsService } from '@slipway/gateway';
import { EnvironmentsService, ProjectsService } from '@slipway/projects';
import type { GatewayDrillDto, GatewayDrillsQuery, OrgActor, StartGatewayDrillInput } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody, ValidQuery } from '../http/params';

/** Failover drills: start one in an environment (202, it runs in the background), list and read their reports. */
@Controller()
export class GatewayDrillsController {
  constructor(
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(GatewayDrillsService) private readonly drills: GatewayDrillsService,
  ) {}

  @Route('startGatewayDrill')
  async start(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @ValidBody('startGatewayDrill') input: StartGatewayDrillInput,
  ): Promise<GatewayDrillDto> {
    return this.drills.start(actor, await this.environments.resolve(actor, project, env), input);
  }

  @Route('listGatewayDrills')
  async list(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @ValidQuery('listGatewayDrills') query: GatewayDrillsQuery): Promise<GatewayDrillDto[]> {
    return this.drills.list(actor, (await this.projects.require(actor, project)).id, query);
  }

  @Route('getGatewayDrill')
  async get(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('drillId') drillId: string): Promise<GatewayDrillDto> {
    return this.drills.get(actor, (await this.projects.require(actor, project)).id, drillId);
  }
}
