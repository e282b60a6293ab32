import { Controller, Param } from '@nestjs/common';
import { EnvironmentsService } from '@slipway/projects';
import { SecretsService } from '@slipway/secrets';
import type {
  BulkEnvVarsInput,
  BulkResultDto,
  EnvVarDto,
  EnvVarVersionDto,
  OrgActor,
  RevealedEnvVarDto,
  UpsertEnvVarInput,
} from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

/** Variables of `/orgs/:org/projects/:project/environments/:env`, resolved inside the tenant first. */
@Controller()
export class VariablesController {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly secrets: SecretsService,
  ) {}

  private async env(actor: OrgActor, project: string, env: string): Promise<string> {
    return (await this.environments.resolve(actor, project, env)).id;
  }

  @Route('listVariables')
  async list(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string): Promise<EnvVarDto[]> {
    return this.secrets.list(actor, await this.env(actor, project, env));
  }

  @Route('setVariable')
  async set(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @Param('key') key: string, @ValidBody('setVariable') input: UpsertEnvVarInput): Promise<EnvVarDto> {
    return this.secrets.set(actor, actor, await this.env(actor, project, env), key, input);
  }

  @Route('deleteVariable')
  async remove(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @Param('key') key: string): Promise<void> {
    await this.secrets.remove(actor, actor, await this.env(actor, project, env), key);
  }

  @Route('bulkVariables')
  async bulk(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @ValidBody('bulkVariables') input: BulkEnvVarsInput): Promise<BulkResultDto> {
    return this.secrets.bulk(actor, actor, await this.env(actor, project, env), input);
  }

  @Route('revealVariable')
  async reveal(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @Param('key') key: string): Promise<RevealedEnvVarDto> {
    return this.secrets.reveal(actor, actor, await this.env(actor, project, env), key);
  }

  @Route('variableVersions')
  async versions(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @Param('key') key: string): Promise<EnvVarVersionDto[]> {
    return this.secrets.versions(actor, await this.env(actor, project, env), key);
  }
}
