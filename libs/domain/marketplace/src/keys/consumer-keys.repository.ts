import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Tx } from '@slipway/db';
import type { KeyRow } from './consumer-key';

const SELECT = { id: true, name: true, mode: true, prefix: true, createdAt: true, expiresAt: true, revokedAt: true, replacedById: true } as const;

/** Consumer keys of the consumer organization (tenant scope first; the hash is never selected here). */
@Injectable()
export class ConsumerKeysRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  create(
    scope: TenantScope,
    data: { subscriptionId: string; mode: 'LIVE' | 'TEST'; name: string; prefix: string; tokenHash: string; createdById: string },
    tx: Tx,
  ): Promise<KeyRow> {
    return tx.apiConsumerKey.create({ data: { consumerOrganizationId: scope.organizationId, ...data }, select: SELECT });
  }

  list(scope: TenantScope, subscriptionId: string): Promise<KeyRow[]> {
    return this.prisma.apiConsumerKey.findMany({
      where: { consumerOrganizationId: scope.organizationId, subscriptionId },
      select: SELECT,
      orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    });
  }

  find(scope: TenantScope, subscriptionId: string, keyId: string, tx?: Tx): Promise<KeyRow | null> {
    return (tx ?? this.prisma).apiConsumerKey.findFirst({ where: { consumerOrganizationId: scope.organizationId, subscriptionId, id: keyId }, select: SELECT });
  }

  async revoke(scope: TenantScope, keyId: string, at: Date, tx: Tx): Promise<void> {
    await tx.apiConsumerKey.updateMany({ where: { consumerOrganizationId: scope.organizationId, id: keyId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** The old key of a reroll: replaced, and refused after `expiresAt` (the overlap's end). */
  async replace(scope: TenantScope, keyId: string, replacedById: string, expiresAt: Date, tx: Tx): Promise<void> {
    await tx.apiConsumerKey.updateMany({ where: { consumerOrganizationId: scope.organizationId, id: keyId }, data: { replacedById, expiresAt } });
  }
}
