import { Injectable } from '@nestjs/common';
import { PrismaService, type Role, type Tx } from '@slipway/db';
import type { TenantScope } from '@slipway/contracts';

@Injectable()
export class InvitationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(scope: TenantScope, data: { role: Role; email: string | null; tokenHash: string; createdById: string; expiresAt: Date }, tx?: Tx) {
    return (tx ?? this.prisma).invitation.create({ data: { ...data, organizationId: scope.organizationId } });
  }

  async pending(scope: TenantScope, now: Date) {
    return this.prisma.invitation.findMany({
      where: { organizationId: scope.organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** A usable invitation (not accepted, revoked or expired) by its token hash. */
  async usableByTokenHash(tokenHash: string, now: Date, tx?: Tx) {
    return (tx ?? this.prisma).invitation.findFirst({
      where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      include: { organization: true },
    });
  }

  /** Marks accepted only if still usable; returns false when someone else used it first. */
  async markAccepted(id: string, userId: string, now: Date, tx?: Tx): Promise<boolean> {
    const { count } = await (tx ?? this.prisma).invitation.updateMany({
      where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedById: userId },
    });
    return count === 1;
  }

  async revoke(scope: TenantScope, id: string, now: Date, tx?: Tx): Promise<boolean> {
    const { count } = await (tx ?? this.prisma).invitation.updateMany({
      where: { id, organizationId: scope.organizationId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    return count === 1;
  }
}
