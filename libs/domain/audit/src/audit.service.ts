import { Injectable, Logger } from '@nestjs/common';
import type { Tx } from '@slipway/db';
import type { Actor, AuditAction, AuditEntryDto, TenantScope } from '@slipway/contracts';
import { AuditRepository } from './audit.repository';

export interface AuditInput {
  organizationId?: string | null;
  actor?: Actor | null;
  action: AuditAction;
  /** What was acted on, human-readable: `project:web`, `token:slp_ab12…`. Never a secret value. */
  target?: string;
  metadata?: Record<string, unknown>;
}

/** The append-only audit log. Writers pass their transaction so the entry commits with the change. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('audit');
  constructor(private readonly repository: AuditRepository) {}

  async record(input: AuditInput, tx?: Tx): Promise<void> {
    await this.repository.insert(
      {
        organizationId: input.organizationId ?? null,
        actorId: input.actor?.userId ?? null,
        actorEmail: input.actor?.email ?? null,
        action: input.action,
        target: input.target ?? null,
        ip: input.actor?.ip ?? null,
        metadata: input.metadata ?? {},
      },
      tx,
    );
    this.logger.log(`${input.action} ${input.target ?? ''} by ${input.actor?.email ?? 'anonymous'}`.trim());
  }

  async list(scope: TenantScope, query: { limit: number; before?: string }): Promise<AuditEntryDto[]> {
    const rows = await this.repository.listForOrganization(scope, query.limit, query.before);
    return rows.map((r) => ({
      id: r.id,
      action: r.action as AuditAction,
      actorId: r.actorId,
      actorEmail: r.actorEmail,
      target: r.target,
      ip: r.ip,
      metadata: (r.metadata ?? {}) as Record<string, unknown>,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
