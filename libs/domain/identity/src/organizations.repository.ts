import { Injectable } from '@nestjs/common';
import { PrismaService, type Role, type Tx } from '@slipway/db';
import type { TenantScope } from '@slipway/contracts';

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async createWithOwner(data: { slug: string; name: string; ownerId: string }, tx?: Tx) {
    return (tx ?? this.prisma).organization.create({
      data: { slug: data.slug, name: data.name, memberships: { create: { userId: data.ownerId, role: 'OWNER' } } },
    });
  }

  async slugExists(slug: string, tx?: Tx) {
    return (tx ?? this.prisma).organization.count({ where: { slug } }).then((n) => n > 0);
  }

  async membershipsOfUser(userId: string) {
    return this.prisma.membership.findMany({
      where: { userId },
      include: { organization: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** The caller's membership in the organization with this slug, or null: non-members learn nothing. */
  async membershipBySlug(userId: string, slug: string) {
    return this.prisma.membership.findFirst({ where: { userId, organization: { slug } }, include: { organization: true } });
  }

  async members(scope: TenantScope) {
    return this.prisma.membership.findMany({
      where: { organizationId: scope.organizationId },
      include: { user: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  async member(scope: TenantScope, userId: string, tx?: Tx) {
    return (tx ?? this.prisma).membership.findUnique({
      where: { organizationId_userId: { organizationId: scope.organizationId, userId } },
      include: { user: true },
    });
  }

  async countOwners(scope: TenantScope, tx?: Tx) {
    return (tx ?? this.prisma).membership.count({ where: { organizationId: scope.organizationId, role: 'OWNER' } });
  }

  async updateRole(scope: TenantScope, userId: string, role: Role, tx?: Tx) {
    return (tx ?? this.prisma).membership.update({
      where: { organizationId_userId: { organizationId: scope.organizationId, userId } },
      data: { role },
      include: { user: true },
    });
  }

  async removeMember(scope: TenantScope, userId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).membership.deleteMany({ where: { organizationId: scope.organizationId, userId } });
  }

  async addMember(scope: TenantScope, userId: string, role: Role, tx?: Tx) {
    return (tx ?? this.prisma).membership.create({ data: { organizationId: scope.organizationId, userId, role }, include: { organization: true } });
  }
}
