import { Module } from '@nestjs/common';
import { SecretsModule } from '@slipway/secrets';
import { QuotasModule } from '@slipway/projects';
import { BuildsRepository } from './builds.repository';
import { BuildsService } from './builds.service';
import { RunBuild } from './run-build';

/** Builds and releases. Relies on the global Db, Config, Docker and Git modules. */
@Module({
  imports: [SecretsModule, QuotasModule],
  providers: [BuildsRepository, BuildsService, RunBuild],
  exports: [BuildsService, RunBuild],
})
export class BuildsModule {}
