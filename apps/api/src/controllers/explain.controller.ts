import { Controller, Inject, Param } from '@nestjs/common';
import { FailureExplainer } from '@slipway/gateway';
import { EnvironmentsService, ProjectsService } from '@slipway/projects';
import type { ExplanationDto, OrgActor } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg } from '../http/params';

/** "Explain this failure" on a failed build or deployment: a model's answer through Slipway's own gateway. */
@Controller()
export class ExplainController {
  constructor(
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(FailureExplainer) private readonly explainer: FailureExplainer,
  ) {}

  @Route('explainBuild')
  async build(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('buildId') buildId: string,
  ): Promise<ExplanationDto> {
    const { id } = await this.projects.require(actor, project);
    return this.explainer.explain(actor, { kind: 'build', projectId: id, id: buildId });
  }

  @Route('explainDeployment')
  async deployment(
    @CurrentOrg() actor: OrgActor,
    @Param('project') project: string,
    @Param('env') env: string,
    @Param('deploymentId') deploymentId: string,
  ): Promise<ExplanationDto> {
    const environment = await this.environments.resolve(actor, project, env);
    return this.explainer.explain(actor, { kind: 'deployment', environmentId: environment.id, id: deploymentId });
  }
}
