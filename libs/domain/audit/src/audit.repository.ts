import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@slipway/db';
import type { AuditAction, TenantScope } from '@slipway/contracts';

export interface AuditRecord {
  organizationId: string | null;
  actorId: string | null;
  actorEmail: string | null;
  action: AuditAction;
  target: string | null;
  ip: string | null;
  metadata: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(record: AuditRecord, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).auditLog.create({ data: { ...record, metadata: record.metadata as object } });
  }

  /**
   * The organization's own events plus user-level events (login, tokens) of its current
   * members, newest first. Cursor = the id of the last entry of the previous page.
   */
  async listForOrganization(scope: TenantScope, limit: number, before?: string) {
    const members = await this.prisma.membership.findMany({
      where: { organizationId: scope.organizationId },
      select: { userId: true },
    });
    return this.prisma.auditLog.findMany({
      where: {
        OR: [
          { organizationId: scope.organizationId },
          { organizationId: null, actorId: { in: members.map((m) => m.userId) } },
        ],
        ...(before ? { id: { lt: before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
    });
  }
}
