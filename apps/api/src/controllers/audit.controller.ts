import { Controller } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import type { AuditEntryDto, OrgActor } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg, ValidQuery } from '../http/params';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Route('auditLog')
  list(@CurrentOrg() actor: OrgActor, @ValidQuery('auditLog') query: { limit: number; before?: string }): Promise<AuditEntryDto[]> {
    return this.audit.list(actor, query);
  }
}
