import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';
import type { Resources, TenantScope } from '@slipway/contracts';

export interface EnvironmentData extends Resources {
  name: string;
  branch: string;
  healthCheckPath: string;
}

/** Each environment with its generated host (the HostReservation of kind APP). */
const WITH_APP_HOST = { hosts: { where: { kind: 'APP' as const }, select: { host: true, note: true } } };

/**
 * Projects, environments and their generated hosts. Every method is confined to the tenant scope
 * it is given, except the two host-name checks: host names are global.
 */
@Injectable()
export class ProjectsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async list(scope: TenantScope) {
    return this.prisma.project.findMany({
      where: { organizationId: scope.organizationId },
      orderBy: { createdAt: 'desc' },
      include: { _count: { select: { environments: true } } },
    });
  }

  async findBySlug(scope: TenantScope, slug: string, tx?: Tx) {
    return (tx ?? this.prisma).project.findUnique({
      where: { organizationId_slug: { organizationId: scope.organizationId, slug } },
      include: { environments: { orderBy: { createdAt: 'asc' }, include: WITH_APP_HOST } },
    });
  }

  /** Whether a project (of any tenant) has this label, or any environment or domain already answers at this name. */
  async hostLabelTaken(hostLabel: string, tx?: Tx): Promise<boolean> {
    const db = tx ?? this.prisma;
    return (await db.project.count({ where: { hostLabel } })) > 0 || (await this.hostTaken(hostLabel, tx));
  }

  /** Whether any environment (of any tenant) already answers at this generated name. */
  async hostTaken(host: string, tx?: Tx): Promise<boolean> {
    return (await (tx ?? this.prisma).hostReservation.count({ where: { host } })) > 0;
  }

  /** Reserves the environment's generated host; a name reserved meanwhile fails the transaction (unique `host`). */
  async reserveAppHost(scope: TenantScope, environmentId: string, host: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).hostReservation.create({ data: { host, kind: 'APP', organizationId: scope.organizationId, environmentId } });
  }

  /** Generated hosts of a project's environments, by environment name. */
  async appHostsOfProject(scope: TenantScope, projectId: string): Promise<{ name: string; hosts: { host: string; note: string | null }[] }[]> {
    return this.prisma.environment.findMany({ where: { projectId, organizationId: scope.organizationId }, select: { name: true, ...WITH_APP_HOST } });
  }

  async create(scope: TenantScope, data: { slug: string; name: string; hostLabel: string }, production: EnvironmentData, tx?: Tx) {
    return (tx ?? this.prisma).project.create({
      data: {
        ...data,
        organizationId: scope.organizationId,
        environments: { create: { ...production, organizationId: scope.organizationId } },
      },
      include: { environments: { include: WITH_APP_HOST } },
    });
  }

  /** Deleting a project or an environment releases its hosts in the same statement (HostReservation cascades). */
  async delete(scope: TenantScope, projectId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).project.deleteMany({ where: { id: projectId, organizationId: scope.organizationId } });
  }

  async createEnvironment(scope: TenantScope, projectId: string, data: EnvironmentData, tx?: Tx) {
    return (tx ?? this.prisma).environment.create({ data: { ...data, projectId, organizationId: scope.organizationId } });
  }

  async updateEnvironment(scope: TenantScope, environmentId: string, data: Partial<Omit<EnvironmentData, 'name'>> & { autoRollback?: boolean }, tx?: Tx) {
    return (tx ?? this.prisma).environment.update({ where: { id: environmentId, organizationId: scope.organizationId }, data, include: WITH_APP_HOST });
  }

  async deleteEnvironment(scope: TenantScope, environmentId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).environment.deleteMany({ where: { id: environmentId, organizationId: scope.organizationId } });
  }
}
