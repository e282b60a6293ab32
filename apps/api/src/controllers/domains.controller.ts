import { Controller, Param } from '@nestjs/common';
import { DomainsService } from '@slipway/deployments';
import { EnvironmentsService } from '@slipway/projects';
import type { AddDomainInput, DomainDto, OrgActor } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Custom domains of `/orgs/:org/projects/:project/environments/:env`. */
@Controller()
export class DomainsController {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly domains: DomainsService,
  ) {}

  @Route('listDomains')
  async list(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string): Promise<DomainDto[]> {
    return this.domains.list(actor, (await this.environments.resolve(actor, project, env)).id);
  }

  @Route('addDomain')
  async add(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @ValidBody('addDomain') input: AddDomainInput): Promise<DomainDto> {
    return this.domains.add(actor, (await this.environments.resolve(actor, project, env)).id, input);
  }

  @Route('verifyDomain')
  async verify(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @Param('domainId') domainId: string): Promise<DomainDto> {
    return this.domains.verify(actor, (await this.environments.resolve(actor, project, env)).id, domainId);
  }

  @Route('removeDomain')
  async remove(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @Param('domainId') domainId: string): Promise<void> {
    await this.domains.remove(actor, (await this.environments.resolve(actor, project, env)).id, domainId);
  }
}
