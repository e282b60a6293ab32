import { Controller, Inject, Param } from '@nestjs/common';
import { LogsService } from '@slipway/observability';
import { EnvironmentsService } from '@slipway/projects';
import type { LogsPageDto, LogsQuery, OrgActor } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Replica log lines of `/orgs/:org/projects/:project/environments/:env` (the observability page's logs panel). */
@Controller()
export class LogsController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(LogsService) private readonly logs: LogsService,
  ) {}

  @Route('environmentLogs')
  async environmentLogs(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @ValidQuery('environmentLogs') query: LogsQuery,
  ): Promise<LogsPageDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.logs.environmentLogs(actor, environment.id, query);
  }
}
