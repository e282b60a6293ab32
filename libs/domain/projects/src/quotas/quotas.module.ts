import { Module } from '@nestjs/common';
import { OrgQuotas } from './org-quotas.service';
import { QuotasRepository } from './quotas.repository';

/** The organization quotas, for projects and for the builds that create releases. Relies on the global Db and Config modules. */
@Module({ providers: [QuotasRepository, OrgQuotas], exports: [OrgQuotas] })
export class QuotasModule {}
