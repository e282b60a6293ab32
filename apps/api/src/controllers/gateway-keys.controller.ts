import { Controller, Inject, Param } from '@nestjs/common';
import { GatewayKeysService } from '@slipway/gateway';
import { ProjectsService } from '@slipway/projects';
import type { CreateGatewayKeyInput, CreatedGatewayKeyDto, GatewayKeyDto, OrgActor } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Gateway keys of `/orgs/:org/projects/:project`, resolved inside the tenant first. */
@Controller()
export class GatewayKeysController {
  constructor(
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(GatewayKeysService) private readonly keys: GatewayKeysService,
  ) {}

  private async projectId(actor: OrgActor, slug: string): Promise<string> {
    return (await this.projects.require(actor, slug)).id;
  }

  @Route('listGatewayKeys')
  async list(@CurrentOrg() actor: OrgActor, @Param('project') project: string): Promise<GatewayKeyDto[]> {
    return this.keys.list(actor, await this.projectId(actor, project));
  }

  @Route('createGatewayKey')
  async create(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @ValidBody('createGatewayKey') input: CreateGatewayKeyInput,
  ): Promise<CreatedGatewayKeyDto> {
    return this.keys.create(actor, await this.projectId(actor, project), input);
  }

  @Route('revokeGatewayKey')
  async revoke(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('keyId') keyId: string): Promise<void> {
    await this.keys.revoke(actor, await this.projectId(actor, project), keyId);
  }
}
