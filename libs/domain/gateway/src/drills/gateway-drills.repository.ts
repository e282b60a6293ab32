import { Inject, Injectable } from '@nestjs/common';
import type { DrillStatus, TenantScope } from '@slipway/contracts';
import { PrismaService, type Prisma, type Tx } from '@slipway/db';

export interface DrillRow {
  id: string;
  environmentId: string | null;
  status: DrillStatus;
  plan: unknown;
  report: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

const SELECT = { id: true, environmentId: true, status: true, plan: true, report: true, createdAt: true, finishedAt: true } as const;

/** Failover drills and their reports. Tenant scope first, optional transaction last. */
@Injectable()
export class GatewayDrillsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 10_000 });
  }

  running(scope: TenantScope, environmentId: string, tx: Tx): Promise<{ id: string; createdAt: Date }[]> {
    return tx.gatewayDrill.findMany({
      where: { organizationId: scope.organizationId, environmentId, status: 'RUNNING' },
      select: { id: true, createdAt: true },
    });
  }

  create(scope: TenantScope, data: { projectId: string; environmentId: string; plan: Prisma.InputJsonValue; createdById: string | null }, tx: Tx): Promise<DrillRow> {
    return tx.gatewayDrill.create({ data: { organizationId: scope.organizationId, status: 'RUNNING', ...data }, select: SELECT });
  }

  /** Ends a running drill; a drill already ended (e.g. marked stale) is left as it is. */
  async finish(scope: TenantScope, id: string, status: Exclude<DrillStatus, 'RUNNING'>, report: Prisma.InputJsonValue, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).gatewayDrill.updateMany({
      where: { id, organizationId: scope.organizationId, status: 'RUNNING' },
      data: { status, report, finishedAt: new Date() },
    });
  }

  list(scope: TenantScope, projectId: string, environmentId: string | undefined, limit: number): Promise<DrillRow[]> {
    return this.prisma.gatewayDrill.findMany({
      where: { organizationId: scope.organizationId, projectId, ...(environmentId === undefined ? {} : { environmentId }) },
      select: SELECT,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  find(scope: TenantScope, projectId: string, id: string): Promise<DrillRow | null> {
    return this.prisma.gatewayDrill.findFirst({ where: { id, organizationId: scope.organizationId, projectId }, select: SELECT });
  }
}
