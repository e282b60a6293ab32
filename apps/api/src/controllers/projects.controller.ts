import { Controller, Param } from '@nestjs/common';
import { EnvironmentsService, ProjectsService } from '@slipway/projects';
import type {
  CreateEnvironmentInput,
  CreateProjectInput,
  EnvironmentDto,
  OrgActor,
  ProjectDto,
  ProjectSummaryDto,
  UpdateEnvironmentInput,
} from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidBody } from '../http/params';

@Controller()
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly environments: EnvironmentsService,
  ) {}

  @Route('listProjects')
  list(@CurrentOrg() actor: OrgActor): Promise<ProjectSummaryDto[]> {
    return this.projects.list(actor);
  }

  @Route('createProject')
  create(@CurrentOrg() actor: OrgActor, @ValidBody('createProject') input: CreateProjectInput): Promise<ProjectDto> {
    return this.projects.create(actor, input);
  }

  @Route('getProject')
  get(@CurrentOrg() actor: OrgActor, @Param('project') project: string): Promise<ProjectDto> {
    return this.projects.get(actor, project);
  }

  @Route('deleteProject')
  delete(@CurrentOrg() actor: OrgActor, @Param('project') project: string): Promise<void> {
    return this.projects.delete(actor, project);
  }

  @Route('createEnvironment')
  createEnvironment(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @ValidBody('createEnvironment') input: CreateEnvironmentInput): Promise<EnvironmentDto> {
    return this.environments.create(actor, project, input);
  }

  @Route('updateEnvironment')
  updateEnvironment(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string, @ValidBody('updateEnvironment') input: UpdateEnvironmentInput): Promise<EnvironmentDto> {
    return this.environments.update(actor, project, env, input);
  }

  @Route('deleteEnvironment')
  deleteEnvironment(@CurrentOrg() actor: OrgActor, @Param('project') project: string, @Param('env') env: string): Promise<void> {
    return this.environments.delete(actor, project, env);
  }
}
