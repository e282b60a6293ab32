import { Inject, Injectable } from '@nestjs/common';
import type { ProviderKind, TenantScope } from '@slipway/contracts';
import { PrismaService, type Tx } from '@slipway/db';

/** A Provider row without its sealed credential. */
export interface ProviderRow {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  credentialHint: string;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT = { id: true, name: true, kind: true, baseUrl: true, credentialHint: true, createdAt: true, updatedAt: true } as const;

/**
 * The organization's model providers. Tenant scope first, optional transaction last;
 * `sealedCredential` is omitted globally (@slipway/db) and never selected here: only the
 * caller lookup (CallersRepository) reads it, to decrypt keys for the hot path.
 */
@Injectable()
export class ProvidersRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 10_000 });
  }

  list(scope: TenantScope, tx?: Tx): Promise<ProviderRow[]> {
    return (tx ?? this.prisma).provider.findMany({
      where: { organizationId: scope.organizationId },
      select: SELECT,
      orderBy: { name: 'asc' },
    });
  }

  findByName(scope: TenantScope, name: string, tx?: Tx): Promise<ProviderRow | null> {
    return (tx ?? this.prisma).provider.findFirst({ where: { organizationId: scope.organizationId, name }, select: SELECT });
  }

  /** Inserts the row with an empty credential; the caller seals the key to the new id and calls `update` in the same transaction. */
  create(
    scope: TenantScope,
    data: { name: string; kind: ProviderKind; baseUrl: string; createdById: string | null },
    tx: Tx,
  ): Promise<ProviderRow> {
    return tx.provider.create({
      data: { organizationId: scope.organizationId, ...data, sealedCredential: '', credentialHint: '' },
      select: SELECT,
    });
  }

  async update(
    scope: TenantScope,
    id: string,
    data: { baseUrl?: string; sealedCredential?: string; credentialHint?: string },
    tx: Tx,
  ): Promise<ProviderRow> {
    await tx.provider.updateMany({ where: { id, organizationId: scope.organizationId }, data });
    return tx.provider.findFirstOrThrow({ where: { id, organizationId: scope.organizationId }, select: SELECT });
  }

  async delete(scope: TenantScope, id: string, tx: Tx): Promise<void> {
    await tx.provider.deleteMany({ where: { id, organizationId: scope.organizationId } });
  }
}
