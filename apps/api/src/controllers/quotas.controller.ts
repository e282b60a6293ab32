import { Controller } from '@nestjs/common';
import { OrgQuotas } from '@slipway/projects';
import type { OrgActor, OrgQuotaDto } from '@slipway/contracts';
import { Route } from '../http/route.decorator';
import { CurrentOrg } from '../http/params';

/** The organization's quotas, used and allowed (the console's organization settings show them). */
@Controller()
export class QuotasController {
  constructor(private readonly quotas: OrgQuotas) {}

  @Route('getQuotas')
  get(@CurrentOrg() actor: OrgActor): Promise<OrgQuotaDto[]> {
    return this.quotas.show(actor);
  }
}
