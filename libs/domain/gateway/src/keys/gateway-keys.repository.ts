import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Tx } from '@slipway/db';

/** A GatewayKey row without its hash or sealed copy. */
export interface GatewayKeyRow {
  id: string;
  projectId: string;
  environmentId: string | null;
  kind: 'ENVIRONMENT' | 'USER';
  name: string;
  prefix: string;
  scopes: string[];
  monthlyBudgetMicros: bigint | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface NewGatewayKey {
  projectId: string;
  environmentId: string | null;
  kind: 'ENVIRONMENT' | 'USER';
  name: string;
  prefix: string;
  tokenHash: string;
  scopes: string[];
  monthlyBudgetMicros: bigint | null;
  expiresAt: Date | null;
  createdById: string | null;
}

export interface EnvironmentRef {
  id: string;
  projectId: string;
  name: string;
}

const SELECT = {
  id: true,
  projectId: true,
  environmentId: true,
  kind: true,
  name: true,
  prefix: true,
  scopes: true,
  monthlyBudgetMicros: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  createdAt: true,
} as const;

/**
 * Gateway keys. Tenant scope first, optional transaction last. `tokenHash` and `sealedToken`
 * are omitted globally (@slipway/db); only `findActiveEnvironmentKey` selects the sealed copy.
 */
@Injectable()
export class GatewayKeysRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 10_000 });
  }

  create(scope: TenantScope, data: NewGatewayKey, tx: Tx): Promise<GatewayKeyRow> {
    return tx.gatewayKey.create({ data: { organizationId: scope.organizationId, ...data }, select: SELECT });
  }

  async setSealedToken(scope: TenantScope, id: string, sealedToken: string, tx: Tx): Promise<void> {
    await tx.gatewayKey.updateMany({ where: { id, organizationId: scope.organizationId }, data: { sealedToken } });
  }

  /** Newest first: live keys, then revoked ones (kept for the record). */
  list(scope: TenantScope, projectId: string): Promise<GatewayKeyRow[]> {
    return this.prisma.gatewayKey.findMany({
      where: { organizationId: scope.organizationId, projectId },
      select: SELECT,
      orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    });
  }

  find(scope: TenantScope, projectId: string, id: string, tx?: Tx): Promise<GatewayKeyRow | null> {
    return (tx ?? this.prisma).gatewayKey.findFirst({ where: { id, organizationId: scope.organizationId, projectId }, select: SELECT });
  }

  async revoke(scope: TenantScope, id: string, now: Date, tx: Tx): Promise<void> {
    await tx.gatewayKey.updateMany({ where: { id, organizationId: scope.organizationId, revokedAt: null }, data: { revokedAt: now } });
  }

  /** The environment's current key with its sealed copy, if one is live. */
  findActiveEnvironmentKey(scope: TenantScope, environmentId: string, tx: Tx): Promise<{ id: string; sealedToken: string | null } | null> {
    return tx.gatewayKey.findFirst({
      where: { organizationId: scope.organizationId, environmentId, kind: 'ENVIRONMENT', revokedAt: null },
      select: { id: true, sealedToken: true },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** Locks the environment row so concurrent deploys mint at most one key for it. */
  async lockEnvironment(scope: TenantScope, environmentId: string, tx: Tx): Promise<EnvironmentRef | null> {
    const rows = await tx.$queryRaw<EnvironmentRef[]>`
      SELECT id, "projectId", name FROM "Environment" WHERE id = ${environmentId} AND "organizationId" = ${scope.organizationId} FOR UPDATE`;
    return rows[0] ?? null;
  }

  findEnvironmentByName(scope: TenantScope, projectId: string, name: string): Promise<EnvironmentRef | null> {
    return this.prisma.environment.findFirst({
      where: { organizationId: scope.organizationId, projectId, name },
      select: { id: true, projectId: true, name: true },
    });
  }

  /** Names of the given environments (for lists); ids not in `scope` are simply absent. */
  async environmentNames(scope: TenantScope, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const envs = await this.prisma.environment.findMany({
      where: { organizationId: scope.organizationId, id: { in: [...new Set(ids)] } },
      select: { id: true, name: true },
    });
    return new Map(envs.map((e) => [e.id, e.name]));
  }
}
