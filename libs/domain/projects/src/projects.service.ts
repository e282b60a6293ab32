import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { PrismaService, isUniqueViolation, type Tx } from '@slipway/db';
import { GitRepositories } from '@slipway/git';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import { JobQueue } from '@slipway/queue';
import { GatewayInvalidation } from '@slipway/redis';
import {
  DEFAULT_RESOURCES,
  platformHostsOf,
  hostPartSlugSchema,
  slugify,
  type CreateProjectInput,
  type OrgActor,
  type ProjectDto,
  type ProjectSummaryDto,
  type TenantScope,
} from '@slipway/contracts';
import { ProjectsRepository } from './projects.repository';
import { PRODUCTION, ProjectUrls } from './urls';
import { toEnvironmentDto, type EnvironmentWithHost } from './mappers';
import { lastResortProjectLabel, projectLabelCandidates } from './host-names';
import { OrgQuotas } from './quotas';

/** Creations racing for one host label: each retry sees the others' committed labels. */
const CREATE_ATTEMPTS = 3;

@Injectable()
export class ProjectsService {
  private readonly logger = new Logger('projects');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly prisma: PrismaService,
    private readonly repository: ProjectsRepository,
    private readonly git: GitRepositories,
    private readonly urls: ProjectUrls,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly quotas: OrgQuotas,
    private readonly gatewayKeys: GatewayInvalidation,
  ) {}

  async list(actor: OrgActor): Promise<ProjectSummaryDto[]> {
    const rows = await this.repository.list(actor);
    return rows.map((p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      gitRemoteUrl: this.urls.gitRemote(actor.organizationSlug, p.slug),
      createdAt: p.createdAt.toISOString(),
      environmentCount: p._count.environments,
    }));
  }

  async get(actor: OrgActor, slug: string): Promise<ProjectDto> {
    return this.toDto(actor, await this.require(actor, slug));
  }

  /** Another tenant's project answers exactly like a missing one. */
  async require(scope: TenantScope, slug: string) {
    const project = await this.repository.findBySlug(scope, slug);
    if (!project) throw notFound(`Project "${slug}"`);
    return project;
  }

  /**
   * The project, its production environment, the environment's host and its bare git repository
   * come into being together: the repository is created inside the transaction, so a failure
   * leaves nothing. Two creations that pick the same free label race on unique indexes; the
   * loser runs again and picks the next label. The organization's quotas are checked first in the
   * same transaction (409 QUOTA_EXCEEDED).
   */
  async create(actor: OrgActor, input: CreateProjectInput): Promise<ProjectDto> {
    const slug = input.slug ?? slugify(input.name);
    const parsed = hostPartSlugSchema.safeParse(slug);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', `Cannot derive a valid slug from "${input.name}": choose one.`, [{ path: 'slug', message: parsed.error.issues[0]?.message ?? 'Invalid slug.' }]);
    }
    for (let attempt = 1; ; attempt++) {
      let repositoryOf: string | undefined;
      try {
        const project = await this.prisma.$transaction(async (tx) => {
          // First, under the organization's lock: a project past ORG_MAX_PROJECTS writes nothing.
          await this.quotas.assertProjectFits(actor, tx);
          const hostLabel = await this.freeHostLabel(slug, actor.organizationSlug, tx);
          const created = await this.repository.create(actor, { slug, name: input.name, hostLabel }, { name: PRODUCTION, branch: 'main', healthCheckPath: '/', ...DEFAULT_RESOURCES }, tx);
          await this.repository.reserveAppHost(actor, created.environments[0]!.id, hostLabel, tx);
          await this.git.create(created.id);
          repositoryOf = created.id;
          await this.audit.record({ organizationId: actor.organizationId, actor, action: 'project.created', target: `project:${slug}`, metadata: { name: input.name, hostLabel } }, tx);
          return created;
        });
        return this.toDto(actor, project);
      } catch (err) {
        if (repositoryOf) await this.git.remove(repositoryOf).catch(() => undefined);
        if (isUniqueViolation(err, 'slug')) throw new AppError('SLUG_TAKEN', `A project with the slug "${slug}" already exists in this organization.`, [{ path: 'slug', message: 'Already taken.' }]);
        if (attempt < CREATE_ATTEMPTS && (isUniqueViolation(err, 'hostLabel') || isUniqueViolation(err, 'host'))) continue;
        throw err;
      }
    }
  }

  /**
   * Rows and repository go; the worker's `teardown` job removes the containers, gateway relay and
   * network. It is enqueued inside the transaction, so a deletion never commits without it (the
   * job waits for the commit). Its gateway keys go with the rows (cascade) and every api process
   * drops them from its key cache at once (Redis pub/sub).
   */
  async delete(actor: OrgActor, slug: string): Promise<void> {
    const project = await this.require(actor, slug);
    await this.prisma.$transaction(async (tx) => {
      await this.repository.delete(actor, project.id, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'project.deleted', target: `project:${slug}` }, tx);
      await this.queue.enqueue('teardown', project.id, { organizationId: actor.organizationId, projectId: project.id });
    });
    await this.gatewayKeys.announce({ projectId: project.id });
    await this.git.remove(project.id).catch((err: unknown) => this.logger.warn(`could not remove repository of ${project.id}: ${String(err)}`));
  }

  /**
   * The project's label in app host names: its slug when no project or host of any tenant has it
   * and it is not one of the platform's names (`api`, `www`, the console's host…), else
   * `<slug>-<org>`, else `<slug>-<random>`.
   */
  private async freeHostLabel(slug: string, orgSlug: string, tx: Tx): Promise<string> {
    for (const label of projectLabelCandidates(slug, orgSlug, platformHostsOf(this.config))) if (!(await this.repository.hostLabelTaken(label, tx))) return label;
    return lastResortProjectLabel(slug);
  }

  private toDto(actor: OrgActor, p: { id: string; slug: string; hostLabel: string; name: string; createdAt: Date; environments: EnvironmentWithHost[] }): ProjectDto {
    return {
      id: p.id,
      slug: p.slug,
      name: p.name,
      gitRemoteUrl: this.urls.gitRemote(actor.organizationSlug, p.slug),
      createdAt: p.createdAt.toISOString(),
      environments: p.environments.map((e) => toEnvironmentDto(e, p.hostLabel, this.urls)),
    };
  }
}
