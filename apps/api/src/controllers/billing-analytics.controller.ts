import { Controller, Inject, Param } from '@nestjs/common';
import { AnalyticsService } from '@slipway/billing';
import { EnvironmentsService } from '@slipway/projects';
import type { ApiAnalyticsDto, ApiAnalyticsQuery, EnvironmentApiRevenueDto, OrganizationRevenueDto, OrgActor, RevenueQuery } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

/** Publisher analytics of published APIs, the organization's revenue, and the observability page's revenue panel. */
@Controller()
export class BillingAnalyticsController {
  constructor(
    @Inject(AnalyticsService) private readonly analytics: AnalyticsService,
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
  ) {}

  @Route('apiAnalytics')
  apiAnalytics(@CurrentOrg() actor: OrgActor, @Param('api') api: string, @ValidQuery('apiAnalytics') query: ApiAnalyticsQuery): Promise<ApiAnalyticsDto> {
    return this.analytics.listingAnalytics(actor, api, query);
  }

  @Route('organizationRevenue')
  organizationRevenue(@CurrentOrg() actor: OrgActor, @ValidQuery('organizationRevenue') query: RevenueQuery): Promise<OrganizationRevenueDto> {
    return this.analytics.organizationRevenue(actor, query);
  }

  @Route('environmentApiRevenue')
  async environmentApiRevenue(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @ValidQuery('environmentApiRevenue') query: ApiAnalyticsQuery): Promise<EnvironmentApiRevenueDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.analytics.environmentRevenue(actor, environment.id, query);
  }
}
