import { Controller, Inject, Param } from '@nestjs/common';
import { TrafficService } from '@slipway/observability';
import { EnvironmentsService } from '@slipway/projects';
import type { EnvironmentTrafficDto, OrgActor, TrafficQuery } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** App traffic of `/orgs/:org/projects/:project/environments/:env` (the observability page's charts). */
@Controller()
export class TrafficController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(TrafficService) private readonly traffic: TrafficService,
  ) {}

  @Route('environmentTraffic')
  async environmentTraffic(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @ValidQuery('environmentTraffic') query: TrafficQuery,
  ): Promise<EnvironmentTrafficDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.traffic.environmentTraffic(actor, environment.id, query);
  }
}
