import { Controller, Inject, Param } from '@nestjs/common';
import { ModelTrafficService } from '@slipway/observability';
import { EnvironmentsService } from '@slipway/projects';
import type { EnvironmentModelTrafficDto, ModelTrafficQuery, OrgActor } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Model calls through the gateway of `/orgs/:org/projects/:project/environments/:env`, on the observability page's axis. */
@Controller()
export class ModelTrafficController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(ModelTrafficService) private readonly modelTraffic: ModelTrafficService,
  ) {}

  @Route('environmentModelTraffic')
  async environmentModelTraffic(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @ValidQuery('environmentModelTraffic') query: ModelTrafficQuery,
  ): Promise<EnvironmentModelTrafficDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.modelTraffic.environmentModelTraffic(actor, environment.projectId, environment.id, query);
  }
}
