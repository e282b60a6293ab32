import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Prisma, type Tx } from '@slipway/db';

export interface LiveReleaseRow {
  id: string;
  number: number;
  slipwayConfig: unknown;
}

/** The organization's routing defaults and what effective routing reads. Tenant scope first, optional transaction last. */
@Injectable()
export class GatewayDefaultsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 10_000 });
  }

  find(scope: TenantScope, tx?: Tx): Promise<{ config: unknown; updatedAt: Date } | null> {
    return (tx ?? this.prisma).gatewayDefaults.findUnique({
      where: { organizationId: scope.organizationId },
      select: { config: true, updatedAt: true },
    });
  }

  upsert(
    scope: TenantScope,
    config: Prisma.InputJsonValue,
    updatedById: string | null,
    tx: Tx,
  ): Promise<{ config: unknown; updatedAt: Date }> {
    return tx.gatewayDefaults.upsert({
      where: { organizationId: scope.organizationId },
      create: { organizationId: scope.organizationId, config, updatedById },
      update: { config, updatedById },
      select: { config: true, updatedAt: true },
    });
  }

  /** The release live in the environment now, or null before its first deployment. */
  async liveRelease(scope: TenantScope, environmentId: string): Promise<LiveReleaseRow | null> {
    const env = await this.prisma.environment.findFirst({
      where: { id: environmentId, organizationId: scope.organizationId },
      select: { liveReleaseId: true },
    });
    if (!env?.liveReleaseId) return null;
    return this.prisma.release.findFirst({
      where: { id: env.liveReleaseId, organizationId: scope.organizationId },
      select: { id: true, number: true, slipwayConfig: true },
    });
  }
}
