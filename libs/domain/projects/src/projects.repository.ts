import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';
import type { Resources, TenantScope } from '@slipway/contracts';

export interface EnvironmentData extends Resources {
  name: string;
  branch: string;
  healthCheckPath: string;
}

/** Projects and environments. Every method is confined to the tenant scope it is given. */
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
      include: { environments: { orderBy: { createdAt: 'asc' } } },
    });
  }

  /** Host labels are global (they become host names), so this one check spans tenants. */
  async hostLabelTaken(hostLabel: string, tx?: Tx): Promise<boolean> {
    return (await (tx ?? this.prisma).project.count({ where: { hostLabel } })) > 0;
  }

  async create(scope: TenantScope, data: { slug: string; name: string; hostLabel: string }, production: EnvironmentData, tx?: Tx) {
    return (tx ?? this.prisma).project.create({
      data: {
        ...data,
        organizationId: scope.organizationId,
        environments: { create: { ...production, organizationId: scope.organizationId } },
      },
      include: { environments: true },
    });
  }

  async delete(scope: TenantScope, projectId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).project.deleteMany({ where: { id: projectId, organizationId: scope.organizationId } });
  }

  async createEnvironment(scope: TenantScope, projectId: string, data: EnvironmentData, tx?: Tx) {
    return (tx ?? this.prisma).environment.create({ data: { ...data, projectId, organizationId: scope.organizationId } });
  }

  async updateEnvironment(scope: TenantScope, environmentId: string, data: Partial<Omit<EnvironmentData, 'name'>>, tx?: Tx) {
    return (tx ?? this.prisma).environment.update({ where: { id: environmentId, organizationId: scope.organizationId }, data });
  }

  async deleteEnvironment(scope: TenantScope, environmentId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).environment.deleteMany({ where: { id: environmentId, organizationId: scope.organizationId } });
  }
}
