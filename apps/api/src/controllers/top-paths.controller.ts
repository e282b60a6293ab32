import { Controller, Inject, Param } from '@nestjs/common';
import { TopPathsService } from '@slipway/observability';
import { EnvironmentsService } from '@slipway/projects';
import type { OrgActor, TopPathsDto, TopPathsQuery } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Top paths of `/orgs/:org/projects/:project/environments/:env` (the observability page's paths table). */
@Controller()
export class TopPathsController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(TopPathsService) private readonly topPaths: TopPathsService,
  ) {}

  @Route('environmentTopPaths')
  async environmentTopPaths(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @ValidQuery('environmentTopPaths') query: TopPathsQuery,
  ): Promise<TopPathsDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.topPaths.topPaths(actor, environment.id, query);
  }
}
