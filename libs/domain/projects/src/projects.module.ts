import { Module } from '@nestjs/common';
import { EnvironmentsService } from './environments.service';
import { GitAccessService } from './git-access.service';
import { IdentityModule } from '@slipway/identity';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';
import { ProjectUrls } from './urls';
import { QuotasModule } from './quotas';

@Module({
  imports: [IdentityModule, QuotasModule],
  providers: [ProjectsRepository, ProjectsService, EnvironmentsService, ProjectUrls, GitAccessService],
  exports: [ProjectsService, EnvironmentsService, ProjectUrls, GitAccessService, QuotasModule],
})
export class ProjectsModule {}
