import { Module } from '@nestjs/common';
import { ConfigModule } from '@slipway/config';
import { DbModule } from '@slipway/db';
import { RedisModule } from '@slipway/redis';
import { CryptoModule } from '@slipway/crypto';
import { AuditModule } from '@slipway/audit';
import { DockerModule } from '@slipway/docker';
import { GitModule } from '@slipway/git';
import { QueueModule } from '@slipway/queue';
import { IdentityModule } from '@slipway/identity';
import { BuildsModule } from '@slipway/builds';
import { DeploymentsModule } from '@slipway/deployments';
import { SessionCleanup } from './session-cleanup';
import { BuildJob } from './jobs/build.job';
import { DeployJob } from './jobs/deploy.job';
import { ReconcileTimer } from './jobs/reconcile.timer';

/** Job processors: builds and deployments (BullMQ), the reconciler, expired-session cleanup. */
@Module({
  imports: [ConfigModule, DbModule, RedisModule, CryptoModule, AuditModule, DockerModule, GitModule, QueueModule, IdentityModule, BuildsModule, DeploymentsModule],
  providers: [SessionCleanup, BuildJob, DeployJob, ReconcileTimer],
})
export class WorkerModule {}
