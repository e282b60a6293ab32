import { Controller, Inject, Param } from '@nestjs/common';
import { MarkersService, OrganizationHealthService, ReleaseVerdictsService } from '@slipway/observability';
import { EnvironmentsService } from '@slipway/projects';
import type { MarkersDto, OrgActor, OrganizationHealthDto, RangeQuery, ReleaseVerdictDto } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Deploy markers and release verdicts of an environment, and the organization's health overview (the observability page). */
@Controller()
export class ReleaseVerdictsController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(MarkersService) private readonly markers: MarkersService,
    @Inject(ReleaseVerdictsService) private readonly verdicts: ReleaseVerdictsService,
    @Inject(OrganizationHealthService) private readonly health: OrganizationHealthService,
  ) {}

  @Route('environmentMarkers')
  async environmentMarkers(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @ValidQuery('environmentMarkers') query: RangeQuery,
  ): Promise<MarkersDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.markers.markers(actor, environment.id, query);
  }

  @Route('releaseVerdict')
  async releaseVerdict(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @Param('releaseId') releaseId: string,
  ): Promise<ReleaseVerdictDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.verdicts.verdict(actor, environment.id, releaseId);
  }

  @Route('organizationHealth')
  async organizationHealth(@CurrentOrg() actor: OrgActor, @ValidQuery('organizationHealth') query: RangeQuery): Promise<OrganizationHealthDto> {
    return this.health.health(actor, query);
  }
}
