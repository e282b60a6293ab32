import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { isUniqueViolation } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { AuditService } from '@slipway/audit';
import { domainChallengeName, edgeUrl, platformHostsOf, reservedDomainReason, type AddDomainInput, type DomainDto, type OrgActor } from '@slipway/contracts';
import { ROUTE_TABLE_PUBLISHER } from '../deploy-options';
import type { RouteTablePublisher } from '../route-table';
import { DomainVerifier, takenProblem, type VerifyOutcome } from './domain-verifier';
import { DomainsRepository, type DomainRow } from './domains.repository';

/** How many pending domains one re-check looks up, and how many expired ones it removes. */
const RECHECK_BATCH = 200;

/**
 * Custom host names of an environment. Adding one gives a token to publish in DNS
 * (`_slipway-challenge.<hostname> TXT <token>`); only once that is verified (the verify endpoint,
 * or the worker's re-check) is the name reserved across organizations and routed by the edge.
 * Several organizations may have a name pending; the first to verify it gets it. Names under
 * APPS_DOMAIN or under the platform's own hosts are refused.
 */
@Injectable()
export class DomainsService {
  private readonly logger = new Logger('domains');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repository: DomainsRepository,
    private readonly verifier: DomainVerifier,
    private readonly audit: AuditService,
    @Inject(ROUTE_TABLE_PUBLISHER) private readonly routes: RouteTablePublisher,
  ) {}

  async list(actor: OrgActor, environmentId: string): Promise<DomainDto[]> {
    const rows = await this.repository.list(actor, environmentId);
    const lost = await this.repository.servedByOthers(actor, rows.filter((d) => !d.verifiedAt).map((d) => d.hostname));
    const now = new Date();
    return rows.map((d) => this.toDto(d, now, lost.has(d.hostname) ? takenProblem(d.hostname) : undefined));
  }

  async add(actor: OrgActor, environmentId: string, input: AddDomainInput): Promise<DomainDto> {
    const reserved = reservedDomainReason(input.hostname, platformHostsOf(this.config));
    if (reserved) throw new AppError('DOMAIN_RESERVED', reserved, [{ path: 'hostname', message: reserved }]);
    const owner = await this.repository.ownerOf(input.hostname);
    if (owner) {
      const detail = owner === actor.organizationId ? `${input.hostname} is already routed to one of your environments.` : `${input.hostname} is already verified by another organization on this Slipway.`;
      throw new AppError('DOMAIN_TAKEN', detail, [{ path: 'hostname', message: 'Already in use.' }]);
    }
    const now = new Date();
    const domain = await this.repository
      .transaction(async (tx) => {
        const row = await this.repository.create(actor, { environmentId, hostname: input.hostname, verificationToken: `slipway-${randomBytes(16).toString('hex')}`, expiresAt: new Date(now.getTime() + this.config.DOMAIN_VERIFY_TTL_HOURS * 3_600_000) }, tx);
        await this.audit.record({ organizationId: actor.organizationId, actor, action: 'domain.added', target: `domain:${input.hostname}`, metadata: { environmentId } }, tx);
        return row;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new AppError('DOMAIN_TAKEN', `${input.hostname} was already added to an environment of this organization.`, [{ path: 'hostname', message: 'Already added.' }]);
        throw err;
      });
    return this.toDto(domain, now);
  }

  /** Looks the TXT record up now; routes the domain when it holds the token. */
  async verify(actor: OrgActor, environmentId: string, domainId: string): Promise<DomainDto> {
    const domain = await this.repository.find(actor, environmentId, domainId);
    if (!domain) throw notFound('Domain');
    const now = new Date();
    const outcome = await this.verifier.attempt(actor, domain, now, actor);
    if (outcome.kind === 'verified') {
      if (!domain.verifiedAt) await this.routes.publish();
      return this.toDto(outcome.domain, now);
    }
    throw this.refusal(outcome);
  }

  async remove(actor: OrgActor, environmentId: string, domainId: string): Promise<void> {
    const removed = await this.repository.transaction(async (tx) => {
      const row = await this.repository.find(actor, environmentId, domainId, tx);
      if (!row) throw notFound('Domain');
      await this.repository.delete(actor, row.id, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'domain.removed', target: `domain:${row.hostname}`, metadata: { environmentId } }, tx);
      return row;
    });
    if (removed.verifiedAt) await this.routes.publish();
  }

  /**
   * The worker's periodic pass over every tenant: removes pending domains whose time ran out and
   * looks up the TXT records of the others, least recently checked first.
   */
  async recheckPending(now = new Date()): Promise<{ verified: number; expired: number }> {
    let expired = 0;
    for (const d of await this.repository.expiredOfAllTenants(now, RECHECK_BATCH)) {
      const scope = { organizationId: d.organizationId };
      const deleted = await this.repository.transaction(async (tx) => {
        if (!(await this.repository.deleteIfStillExpired(scope, d.id, now, tx))) return false;
        await this.audit.record({ organizationId: d.organizationId, action: 'domain.expired', target: `domain:${d.hostname}`, metadata: { environmentId: d.environmentId } }, tx);
        return true;
      });
      if (deleted) expired++;
    }
    let verified = 0;
    for (const d of await this.repository.pendingOfAllTenants(now, RECHECK_BATCH)) {
      const outcome = await this.verifier.attempt({ organizationId: d.organizationId }, d, now, null).catch((err: unknown) => {
        this.logger.warn(`re-check of ${d.hostname} failed, will retry: ${String(err)}`);
        return null;
      });
      if (outcome?.kind === 'verified') verified++;
    }
    if (verified) await this.routes.publish();
    return { verified, expired };
  }

  private refusal(outcome: Exclude<VerifyOutcome, { kind: 'verified' }>): AppError {
    switch (outcome.kind) {
      case 'expired':
        return new AppError('DOMAIN_EXPIRED', `${outcome.domain.hostname} was not verified within ${this.config.DOMAIN_VERIFY_TTL_HOURS} hours. Remove it and add it again for a new token.`);
      case 'taken':
        return new AppError('DOMAIN_TAKEN', outcome.problem);
      case 'not-proven':
        return outcome.unavailable ? new AppError('SERVICE_UNAVAILABLE', outcome.problem, undefined, { retryable: true, retryAfterSeconds: 30 }) : new AppError('DOMAIN_NOT_VERIFIED', outcome.problem);
    }
  }

  private toDto(d: DomainRow, now: Date, lostTo?: string): DomainDto {
    const status = d.verifiedAt ? 'verified' : d.expiresAt && d.expiresAt <= now ? 'expired' : 'pending';
    return {
      id: d.id,
      hostname: d.hostname,
      url: edgeUrl(d.hostname, this.config.EDGE_PORT),
      status,
      verification: { type: 'TXT', name: domainChallengeName(d.hostname), value: d.verificationToken },
      verifiedAt: d.verifiedAt?.toISOString() ?? null,
      expiresAt: d.expiresAt?.toISOString() ?? null,
      lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
      problem: lostTo ?? d.lastCheckProblem,
      createdAt: d.createdAt.toISOString(),
    };
  }
}
