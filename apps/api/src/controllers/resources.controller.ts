import { Controller, Inject, Param } from '@nestjs/common';
import { ResourcesService } from '@slipway/observability';
import { EnvironmentsService } from '@slipway/projects';
import type { EnvironmentResourcesDto, OrgActor, RangeQuery } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Replica CPU and memory of `/orgs/:org/projects/:project/environments/:env` (the observability page's resources chart). */
@Controller()
export class ResourcesController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(ResourcesService) private readonly resources: ResourcesService,
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
}
