import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Tx } from '@slipway/db';

export interface DomainRow {
  id: string;
  organizationId: string;
  environmentId: string;
  hostname: string;
  verificationToken: string;
  verifiedAt: Date | null;
  expiresAt: Date | null;
  lastCheckedAt: Date | null;
  lastCheckProblem: string | null;
  createdAt: Date;
}

/**
 * Custom domains and their host reservations. Tenant scope first, optional tx last; the
 * exceptions are named `…OfAllTenants` or say why: a host name is global, so who reserved one is
 * a question across tenants, and the worker's re-check sweeps every tenant's pending domains.
 */
@Injectable()
export class DomainsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 15_000 });
  }

  async list(scope: TenantScope, environmentId: string): Promise<DomainRow[]> {
    return this.prisma.domain.findMany({ where: { organizationId: scope.organizationId, environmentId }, orderBy: { hostname: 'asc' } });
  }

  async find(scope: TenantScope, environmentId: string, domainId: string, tx?: Tx): Promise<DomainRow | null> {
    return (tx ?? this.prisma).domain.findFirst({ where: { id: domainId, environmentId, organizationId: scope.organizationId } });
  }

  /** A second domain with the same name in one organization fails on `(organizationId, hostname)`. */
  async create(scope: TenantScope, data: { environmentId: string; hostname: string; verificationToken: string; expiresAt: Date }, tx?: Tx): Promise<DomainRow> {
    return (tx ?? this.prisma).domain.create({ data: { ...data, organizationId: scope.organizationId } });
  }

  /** Its reservation, if verified, goes with it (cascade). */
  async delete(scope: TenantScope, domainId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).domain.deleteMany({ where: { id: domainId, organizationId: scope.organizationId } });
  }

  /** Which organization serves this name, if any (across tenants: a host name is global). */
  async ownerOf(hostname: string, tx?: Tx): Promise<string | null> {
    const row = await (tx ?? this.prisma).hostReservation.findUnique({ where: { host: hostname }, select: { organizationId: true } });
    return row?.organizationId ?? null;
  }

  /** The names among `hostnames` that another organization serves. */
  async servedByOthers(scope: TenantScope, hostnames: string[]): Promise<Set<string>> {
    if (hostnames.length === 0) return new Set();
    const rows = await this.prisma.hostReservation.findMany({ where: { host: { in: hostnames }, organizationId: { not: scope.organizationId } }, select: { host: true } });
    return new Set(rows.map((r) => r.host));
  }

  /**
   * Reserves the domain's name for its environment; false when another reservation has it.
   * ON CONFLICT DO NOTHING: of two organizations verifying one name at once, the second waits
   * for the first to commit and then gets false, without aborting its transaction.
   */
  async reserve(scope: TenantScope, domain: { id: string; environmentId: string; hostname: string }, tx: Tx): Promise<boolean> {
    const { count } = await tx.hostReservation.createMany({
      data: [{ host: domain.hostname, kind: 'DOMAIN', organizationId: scope.organizationId, environmentId: domain.environmentId, domainId: domain.id }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  async markVerified(scope: TenantScope, domainId: string, at: Date, tx: Tx): Promise<DomainRow> {
    return tx.domain.update({ where: { id: domainId, organizationId: scope.organizationId }, data: { verifiedAt: at, expiresAt: null, lastCheckedAt: at, lastCheckProblem: null } });
  }

  async recordCheck(scope: TenantScope, domainId: string, at: Date, problem: string, tx?: Tx): Promise<DomainRow> {
    return (tx ?? this.prisma).domain.update({ where: { id: domainId, organizationId: scope.organizationId }, data: { lastCheckedAt: at, lastCheckProblem: problem } });
  }

  /** Pending, unexpired domains of every tenant, least recently checked first. */
  async pendingOfAllTenants(now: Date, limit: number): Promise<DomainRow[]> {
    return this.prisma.domain.findMany({
      where: { verifiedAt: null, expiresAt: { gt: now } },
      orderBy: [{ lastCheckedAt: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }],
      take: limit,
    });
  }

  /** Pending domains of every tenant whose time ran out. */
  async expiredOfAllTenants(now: Date, limit: number): Promise<DomainRow[]> {
    return this.prisma.domain.findMany({ where: { verifiedAt: null, expiresAt: { lte: now } }, orderBy: { expiresAt: 'asc' }, take: limit });
  }

  /** Deletes one expired domain, unless it was verified meanwhile; true when it was deleted. */
  async deleteIfStillExpired(scope: TenantScope, domainId: string, now: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.domain.deleteMany({ where: { id: domainId, organizationId: scope.organizationId, verifiedAt: null, expiresAt: { lte: now } } });
    return count === 1;
  }
}
