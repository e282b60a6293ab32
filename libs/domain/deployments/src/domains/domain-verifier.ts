import { Injectable } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import { domainChallengeName, type Actor, type TenantScope } from '@slipway/contracts';
import { DnsTxtLookup } from './dns-txt-lookup';
import { DomainsRepository, type DomainRow } from './domains.repository';
import { judgeTxt } from './txt-verdict';

/** What one verification attempt came to; the domain row as it is afterwards. */
export type VerifyOutcome =
  | { kind: 'verified'; domain: DomainRow }
  | { kind: 'expired'; domain: DomainRow }
  | { kind: 'taken'; domain: DomainRow; problem: string }
  | { kind: 'not-proven'; domain: DomainRow; problem: string; unavailable: boolean };

export const takenProblem = (hostname: string): string =>
  `${hostname} was verified first by another organization, which serves it now. Remove it here; if that is wrong, ask the operator of this Slipway.`;

/**
 * Proves control of a pending domain, in a fixed order: verified already → expired → served by
 * another organization → TXT record → reservation. The reservation (unique host across tenants)
 * decides between organizations that prove it at the same moment: the first to commit wins.
 * Used by the verify endpoint and the worker's periodic re-check alike.
 */
@Injectable()
export class DomainVerifier {
  constructor(
    private readonly repository: DomainsRepository,
    private readonly dns: DnsTxtLookup,
    private readonly audit: AuditService,
  ) {}

  async attempt(scope: TenantScope, domain: DomainRow, now: Date, actor: Actor | null): Promise<VerifyOutcome> {
    if (domain.verifiedAt) return { kind: 'verified', domain };
    if (domain.expiresAt && domain.expiresAt <= now) return { kind: 'expired', domain };
    const owner = await this.repository.ownerOf(domain.hostname);
    if (owner && owner !== scope.organizationId) return this.taken(scope, domain, now);

    const verdict = judgeTxt(await this.dns.lookup(domainChallengeName(domain.hostname)), domain.hostname, domain.verificationToken);
    if (!verdict.proven) {
      const checked = await this.repository.recordCheck(scope, domain.id, now, verdict.problem);
      return { kind: 'not-proven', domain: checked, problem: verdict.problem, unavailable: verdict.unavailable };
    }
    const verified = await this.repository.transaction(async (tx) => {
      if (!(await this.repository.reserve(scope, domain, tx))) return null;
      const row = await this.repository.markVerified(scope, domain.id, now, tx);
      await this.audit.record({ organizationId: scope.organizationId, actor, action: 'domain.verified', target: `domain:${domain.hostname}`, metadata: { environmentId: domain.environmentId } }, tx);
      return row;
    });
    return verified ? { kind: 'verified', domain: verified } : this.taken(scope, domain, now);
  }

  private async taken(scope: TenantScope, domain: DomainRow, now: Date): Promise<VerifyOutcome> {
    const problem = takenProblem(domain.hostname);
    return { kind: 'taken', domain: await this.repository.recordCheck(scope, domain.id, now, problem), problem };
  }
}
