import { Injectable } from '@nestjs/common';
import { PrismaService, isUniqueViolation, type Tx } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import { GatewayInvalidation } from '@slipway/redis';
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
import { environmentHostCandidates, environmentNameTooLong } from './host-names';
import { OrgQuotas } from './quotas';

export interface ResolvedEnvironment {
  id: string;
  name: string;
  projectId: string;
  projectSlug: string;
  hostLabel: string;
}

/** Environments racing for one generated name (only possible against a name given before the naming rule). */
const CREATE_ATTEMPTS = 3;

@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ProjectsRepository,
    private readonly projects: ProjectsService,
    private readonly urls: ProjectUrls,
    private readonly audit: AuditService,
    private readonly quotas: OrgQuotas,
    private readonly gatewayKeys: GatewayInvalidation,
  ) {}

  /** Resolves `<project>/<env>` inside the tenant; anything outside it is NOT_FOUND. */
  async resolve(scope: TenantScope, projectSlug: string, envName: string): Promise<ResolvedEnvironment> {
    const project = await this.projects.require(scope, projectSlug);
    const env = project.environments.find((e) => e.name === envName);
    if (!env) throw notFound(`Environment "${envName}"`);
    return { id: env.id, name: env.name, projectId: project.id, projectSlug: project.slug, hostLabel: project.hostLabel };
  }

  /** The app URL of each environment of a project, by name (what a push prints once it is live). */
  async appUrls(scope: TenantScope, projectId: string): Promise<Map<string, string>> {
    const envs = await this.repository.appHostsOfProject(scope, projectId);
    return new Map(envs.flatMap((e) => (e.hosts[0] ? [[e.name, this.urls.app(e.hosts[0].host)] as const] : [])));
  }

  /**
   * The environment and its generated host are created in one transaction, after the
   * organization's quotas are checked in it; the host goes when the environment goes.
   */
  async create(actor: OrgActor, projectSlug: string, raw: CreateEnvironmentInput): Promise<EnvironmentDto> {
    const input = createEnvironmentInputSchema.parse(raw);
    const project = await this.projects.require(actor, projectSlug);
    const tooLong = environmentNameTooLong(project.hostLabel, input.name);
    if (tooLong) throw new AppError('VALIDATION_FAILED', `"${input.name}" makes an app host name longer than DNS allows.`, [{ path: 'name', message: tooLong }]);
    for (let attempt = 1; ; attempt++) {
      try {
        const { env, host } = await this.prisma.$transaction(async (tx) => {
          await this.quotas.assertEnvironmentFits(actor, { settings: { replicas: input.replicas, memoryMb: input.memoryMb } }, tx);
          const created = await this.repository.createEnvironment(actor, project.id, { ...DEFAULT_RESOURCES, ...input }, tx);
          const host = await this.freeHost(project.hostLabel, input.name, tx);
          await this.repository.reserveAppHost(actor, created.id, host, tx);
          await this.audit.record({ organizationId: actor.organizationId, actor, action: 'environment.created', target: `environment:${project.slug}/${input.name}`, metadata: { branch: input.branch, host } }, tx);
          return { env: created, host };
        });
        return toEnvironmentDto({ ...env, hosts: [{ host, note: null }] }, project.hostLabel, this.urls);
      } catch (err) {
        if (isUniqueViolation(err, 'host') && attempt < CREATE_ATTEMPTS) continue;
        if (isUniqueViolation(err)) throw new AppError('ENVIRONMENT_NAME_TAKEN', `"${project.slug}" already has an environment named "${input.name}".`, [{ path: 'name', message: 'Already taken.' }]);
        throw err;
      }
    }
  }

  async update(actor: OrgActor, projectSlug: string, envName: string, input: UpdateEnvironmentInput): Promise<EnvironmentDto> {
    const env = await this.resolve(actor, projectSlug, envName);
    const updated = await this.prisma.$transaction(async (tx) => {
      if (input.replicas !== undefined || input.memoryMb !== undefined) {
        await this.quotas.assertEnvironmentFits(actor, { environmentId: env.id, settings: { replicas: input.replicas, memoryMb: input.memoryMb } }, tx);
      }
      const row = await this.repository.updateEnvironment(actor, env.id, input, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'environment.updated', target: `environment:${projectSlug}/${envName}`, metadata: { ...input } }, tx);
      return row;
    });
    return toEnvironmentDto(updated, env.hostLabel, this.urls);
  }

  /**
   * Its generated host is released with it (the reservation cascades in the same statement).
   * Its gateway keys stop working at once: every api process drops them from its key cache
   * (Redis pub/sub) after the commit, and the next lookup finds the environment gone.
   */
  async delete(actor: OrgActor, projectSlug: string, envName: string): Promise<void> {
    const env = await this.resolve(actor, projectSlug, envName);
    if (env.name === PRODUCTION) throw new AppError('ENVIRONMENT_PROTECTED');
    await this.prisma.$transaction(async (tx) => {
      await this.repository.deleteEnvironment(actor, env.id, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'environment.deleted', target: `environment:${projectSlug}/${envName}` }, tx);
    });
    await this.gatewayKeys.announce({ environmentId: env.id });
  }

  /** The naming rule's name, unless a host given before the rule already has it. */
  private async freeHost(hostLabel: string, envName: string, tx: Tx): Promise<string> {
    const [ruled, fallback] = environmentHostCandidates(hostLabel, envName);
    return (await this.repository.hostTaken(ruled!, tx)) ? fallback! : ruled!;
  }
}
