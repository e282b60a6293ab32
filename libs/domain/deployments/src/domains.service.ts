import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { PrismaService, isUniqueViolation } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import { edgeUrl, type AddDomainInput, type DomainDto, type OrgActor } from '@slipway/contracts';
import { ROUTE_TABLE_PUBLISHER } from './deploy-options';
import type { RouteTablePublisher } from './route-table';

/**
 * Custom host names of an environment. They join its generated host in the edge's route
 * table, so adding or removing one republishes the table. A host name belongs to one
 * environment across all organizations, and names under APPS_DOMAIN are Slipway's own.
 */
@Injectable()
export class DomainsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    @Inject(ROUTE_TABLE_PUBLISHER) private readonly routes: RouteTablePublisher,
  ) {}

  async list(actor: OrgActor, environmentId: string): Promise<DomainDto[]> {
    const rows = await this.prisma.domain.findMany({ where: { organizationId: actor.organizationId, environmentId }, orderBy: { hostname: 'asc' } });
    return rows.map((d) => this.toDto(d));
  }

  async add(actor: OrgActor, environmentId: string, input: AddDomainInput): Promise<DomainDto> {
    const apps = this.config.APPS_DOMAIN.toLowerCase();
    if (input.hostname === apps || input.hostname.endsWith(`.${apps}`)) {
      throw new AppError('VALIDATION_FAILED', `Names under ${apps} are Slipway's own app hosts.`, [{ path: 'hostname', message: `Use a domain outside ${apps}.` }]);
    }
    const domain = await this.prisma
      .$transaction(async (tx) => {
        const row = await tx.domain.create({ data: { organizationId: actor.organizationId, environmentId, hostname: input.hostname } });
        await this.audit.record({ organizationId: actor.organizationId, actor, action: 'domain.added', target: `domain:${input.hostname}`, metadata: { environmentId } }, tx);
        return row;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new AppError('DOMAIN_TAKEN', `${input.hostname} is already routed by Slipway.`, [{ path: 'hostname', message: 'Already in use.' }]);
        throw err;
      });
    await this.routes.publish();
    return this.toDto(domain);
  }

  async remove(actor: OrgActor, environmentId: string, domainId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const row = await tx.domain.findFirst({ where: { id: domainId, environmentId, organizationId: actor.organizationId } });
      if (!row) throw notFound('Domain');
      await tx.domain.delete({ where: { id: row.id } });
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'domain.removed', target: `domain:${row.hostname}`, metadata: { environmentId } }, tx);
    });
    await this.routes.publish();
  }

  private toDto(d: { id: string; hostname: string; createdAt: Date }): DomainDto {
    return { id: d.id, hostname: d.hostname, url: edgeUrl(d.hostname, this.config.EDGE_PORT), createdAt: d.createdAt.toISOString() };
  }
}
