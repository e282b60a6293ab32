import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Tx } from '@slipway/db';

/** An EnvVar row without anything secret. */
export interface EnvVarRow {
  id: string;
  key: string;
  secret: boolean;
  currentVersion: number;
  deletedAt: Date | null;
}

/** A live variable with the metadata of its current version. */
export interface CurrentEnvVarRow extends EnvVarRow {
  versionCreatedAt: Date;
  versionCreatedById: string | null;
}

export interface EnvVarVersionRow {
  version: number;
  secret: boolean;
  deleted: boolean;
  createdAt: Date;
  createdById: string | null;
}

/** The current sealed value of a live variable. Only `readSealedValues` returns these. */
export interface SealedValueRow {
  envVarId: string;
  key: string;
  secret: boolean;
  version: number;
  sealedValue: string;
}

export interface NewVersion {
  envVarId: string;
  version: number;
  secret: boolean;
  deleted: boolean;
  sealedValue: string | null;
  createdById: string | null;
}

const VAR_SELECT = {
  id: true,
  key: true,
  secret: true,
  currentVersion: true,
  deletedAt: true,
} as const;

/**
 * The only Prisma user of the secrets context. Every method takes the tenant scope first and
 * filters by `organizationId` even where the caller already resolved the environment (defense
 * in depth), and an optional transaction last. `sealedValue` is selected in exactly one
 * method, `readSealedValues`; everything else uses explicit selects that leave it out.
 */
@Injectable()
export class SecretsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Runs `fn` in one interactive transaction: a change and its audit entry commit together. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    return this.prisma.$transaction(fn, {
      maxWait: 5_000,
      timeout: options.timeoutMs ?? 10_000,
    });
  }

  /**
   * Whether the environment belongs to `scope`. Writes check it so that even a caller that
   * resolved the wrong environment cannot create a variable in another organization's.
   */
  async environmentInScope(scope: TenantScope, environmentId: string, tx?: Tx): Promise<boolean> {
    const count = await (tx ?? this.prisma).environment.count({
      where: { id: environmentId, organizationId: scope.organizationId },
    });
    return count === 1;
  }

  /** The variable named `key`, deleted or not. */
  findByKey(scope: TenantScope, environmentId: string, key: string, tx?: Tx): Promise<EnvVarRow | null> {
    return (tx ?? this.prisma).envVar.findFirst({
      where: { organizationId: scope.organizationId, environmentId, key },
      select: VAR_SELECT,
    });
  }

  /** Live (not deleted) variables sorted by key, with who and when of their current version. */
  async listLive(scope: TenantScope, environmentId: string, tx?: Tx): Promise<CurrentEnvVarRow[]> {
    const db = tx ?? this.prisma;
    const vars = await db.envVar.findMany({
      where: {
        organizationId: scope.organizationId,
        environmentId,
        deletedAt: null,
      },
      select: VAR_SELECT,
      orderBy: { key: 'asc' },
    });
    if (vars.length === 0) return [];
    const versions = await db.envVarVersion.findMany({
      where: {
        organizationId: scope.organizationId,
        OR: vars.map((v) => ({ envVarId: v.id, version: v.currentVersion })),
      },
      select: { envVarId: true, createdAt: true, createdById: true },
    });
    const byVar = new Map(versions.map((v) => [v.envVarId, v]));
    return vars.flatMap((v) => {
      const current = byVar.get(v.id);
      return current
        ? [
            {
              ...v,
              versionCreatedAt: current.createdAt,
              versionCreatedById: current.createdById,
            },
          ]
        : [];
    });
  }

  /**
   * The one method that returns sealed values: the current version of live variables,
   * optionally only some keys or only secrets / only plain ones. Sorted by key.
   */
  async readSealedValues(
    scope: TenantScope,
    environmentId: string,
    filter: { keys?: string[]; secret?: boolean } = {},
    tx?: Tx,
  ): Promise<SealedValueRow[]> {
    const db = tx ?? this.prisma;
    const vars = await db.envVar.findMany({
      where: {
        organizationId: scope.organizationId,
        environmentId,
        deletedAt: null,
        ...(filter.keys ? { key: { in: filter.keys } } : {}),
        ...(filter.secret === undefined ? {} : { secret: filter.secret }),
      },
      select: { id: true, key: true, currentVersion: true },
      orderBy: { key: 'asc' },
    });
    if (vars.length === 0) return [];
    const versions = await db.envVarVersion.findMany({
      where: {
        organizationId: scope.organizationId,
        deleted: false,
        OR: vars.map((v) => ({ envVarId: v.id, version: v.currentVersion })),
      },
      select: {
        envVarId: true,
        version: true,
        secret: true,
        sealedValue: true,
      },
    });
    const byVar = new Map(versions.map((v) => [v.envVarId, v]));
    return vars.flatMap((v) => {
      const current = byVar.get(v.id);
      if (!current || current.sealedValue === null) return [];
      return [
        {
          envVarId: v.id,
          key: v.key,
          secret: current.secret,
          version: current.version,
          sealedValue: current.sealedValue,
        },
      ];
    });
  }

  /** A new variable at version 1 (its version row is inserted separately, sealed with its id). */
  createVar(scope: TenantScope, data: { environmentId: string; key: string; secret: boolean }, tx: Tx): Promise<EnvVarRow> {
    return tx.envVar.create({
      data: {
        organizationId: scope.organizationId,
        environmentId: data.environmentId,
        key: data.key,
        secret: data.secret,
        currentVersion: 1,
      },
      select: VAR_SELECT,
    });
  }

  /**
   * Moves the variable from `expectedVersion` to the next one. Returns false when another
   * writer got there first (optimistic concurrency), so the caller retries.
   */
  async advanceVar(
    scope: TenantScope,
    envVarId: string,
    expectedVersion: number,
    data: { secret: boolean; deleted: boolean },
    tx: Tx,
  ): Promise<boolean> {
    const { count } = await tx.envVar.updateMany({
      where: {
        id: envVarId,
        organizationId: scope.organizationId,
        currentVersion: expectedVersion,
      },
      data: {
        currentVersion: expectedVersion + 1,
        secret: data.secret,
        deletedAt: data.deleted ? new Date() : null,
      },
    });
    return count === 1;
  }

  /** Versions are immutable: this inserts, nothing here updates or deletes one. */
  async insertVersion(scope: TenantScope, data: NewVersion, tx: Tx): Promise<{ createdAt: Date }> {
    return tx.envVarVersion.create({
      data: { organizationId: scope.organizationId, ...data },
      select: { createdAt: true },
    });
  }

  /** One version's metadata, without its value. */
  findVersion(scope: TenantScope, envVarId: string, version: number, tx?: Tx): Promise<EnvVarVersionRow | null> {
    return (tx ?? this.prisma).envVarVersion.findFirst({
      where: { organizationId: scope.organizationId, envVarId, version },
      select: {
        version: true,
        secret: true,
        deleted: true,
        createdAt: true,
        createdById: true,
      },
    });
  }

  /** Every version of a variable, newest first, without values. */
  listVersions(scope: TenantScope, envVarId: string, tx?: Tx): Promise<EnvVarVersionRow[]> {
    return (tx ?? this.prisma).envVarVersion.findMany({
      where: { organizationId: scope.organizationId, envVarId },
      select: {
        version: true,
        secret: true,
        deleted: true,
        createdAt: true,
        createdById: true,
      },
      orderBy: { version: 'desc' },
    });
  }

  /**
   * Emails of version authors, for display. Users are global rows (not tenant-owned), so
   * there is no organization filter to apply; only ids already found under `scope` are passed.
   */
  async authorEmails(_scope: TenantScope, userIds: (string | null)[], tx?: Tx): Promise<Map<string, string>> {
    const ids = [...new Set(userIds.filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const users = await (tx ?? this.prisma).user.findMany({
      where: { id: { in: ids } },
      select: { id: true, email: true },
    });
    return new Map(users.map((u) => [u.id, u.email]));
  }
}
