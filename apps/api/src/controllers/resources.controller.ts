import { Controller, Inject, Param } from '@nestjs/common';
import { ModelTrafficService, ResourcesService } from '@slipway/observability';
import { EnvironmentsService } from '@slipway/projects';
import type { EnvironmentModelTrafficDto, EnvironmentResourcesDto, ModelTrafficQuery, OrgActor, RangeQuery } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Replica resources and model traffic of `/orgs/:org/projects/:project/environments/:env` (the observability page's charts). */
@Controller()
export class ResourcesController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(ResourcesService) private readonly resources: ResourcesService,
    @Inject(ModelTrafficService) private readonly modelTraffic: ModelTrafficService,
  ) {}

  @Route('environmentResources')
  async environmentResources(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @ValidQuery('environmentResources') query: RangeQuery,
  ): Promise<EnvironmentResourcesDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.resources.environmentResources(actor, environment.id, query);
  }

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
