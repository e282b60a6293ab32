import { Injectable } from '@nestjs/common';
import { PrismaService, isUniqueViolation } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import {
  DEFAULT_RESOURCES,
  createEnvironmentInputSchema,
  type CreateEnvironmentInput,
  type EnvironmentDto,
  type OrgActor,
  type TenantScope,
  type UpdateEnvironmentInput,
} from '@slipway/contracts';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';
import { PRODUCTION, ProjectUrls } from './urls';
import { toEnvironmentDto } from './mappers';

export interface ResolvedEnvironment {
  id: string;
  name: string;
  projectId: string;
  projectSlug: string;
  hostLabel: string;
}

@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ProjectsRepository,
    private readonly projects: ProjectsService,
    private readonly urls: ProjectUrls,
    private readonly audit: AuditService,
  ) {}

  /** Resolves `<project>/<env>` inside the tenant; anything outside it is NOT_FOUND. */
  async resolve(scope: TenantScope, projectSlug: string, envName: string): Promise<ResolvedEnvironment> {
    const project = await this.projects.require(scope, projectSlug);
    const env = project.environments.find((e) => e.name === envName);
    if (!env) throw notFound(`Environment "${envName}"`);
    return { id: env.id, name: env.name, projectId: project.id, projectSlug: project.slug, hostLabel: project.hostLabel };
  }

  async create(actor: OrgActor, projectSlug: string, raw: CreateEnvironmentInput): Promise<EnvironmentDto> {
    const input = createEnvironmentInputSchema.parse(raw);
    const project = await this.projects.require(actor, projectSlug);
    try {
      const env = await this.prisma.$transaction(async (tx) => {
        const created = await this.repository.createEnvironment(actor, project.id, { ...DEFAULT_RESOURCES, ...input }, tx);
        await this.audit.record({ organizationId: actor.organizationId, actor, action: 'environment.created', target: `environment:${project.slug}/${input.name}`, metadata: { branch: input.branch } }, tx);
        return created;
      });
      return toEnvironmentDto(env, this.urls.app(project.hostLabel, env.name));
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('ENVIRONMENT_NAME_TAKEN', `"${project.slug}" already has an environment named "${input.name}".`, [{ path: 'name', message: 'Already taken.' }]);
      throw err;
    }
  }

  async update(actor: OrgActor, projectSlug: string, envName: string, input: UpdateEnvironmentInput): Promise<EnvironmentDto> {
    const env = await this.resolve(actor, projectSlug, envName);
    const updated = await this.prisma.$transaction(async (tx) => {
      const row = await this.repository.updateEnvironment(actor, env.id, input, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'environment.updated', target: `environment:${projectSlug}/${envName}`, metadata: { ...input } }, tx);
      return row;
    });
    return toEnvironmentDto(updated, this.urls.app(env.hostLabel, updated.name));
  }

  async delete(actor: OrgActor, projectSlug: string, envName: string): Promise<void> {
    const env = await this.resolve(actor, projectSlug, envName);
    if (env.name === PRODUCTION) throw new AppError('ENVIRONMENT_PROTECTED');
    await this.prisma.$transaction(async (tx) => {
      await this.repository.deleteEnvironment(actor, env.id, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'environment.deleted', target: `environment:${projectSlug}/${envName}` }, tx);
    });
  }
}
