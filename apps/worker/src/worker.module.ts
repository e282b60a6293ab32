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
import { DeploymentGatewayModule } from './deployment-gateway.module';
import { UsageModule } from '@slipway/gateway';
import { OtlpExportModule, ProjectDataPurgeModule, ReleaseVerdictsJobModule, ResourceSamplerModule, TrafficCollectorModule } from '@slipway/observability';
import { SessionCleanup } from './session-cleanup';
import { BuildJob } from './jobs/build.job';
import { DeployJob } from './jobs/deploy.job';
import { ReconcileSchedule } from './jobs/reconcile.schedule';
import { UsageConsumerJob } from './jobs/usage-consumer';
import { TeardownJob } from './jobs/teardown.job';
import { ImagesPruneSchedule } from './jobs/images-prune.schedule';
import { DomainRecheckSchedule } from './jobs/domain-recheck.schedule';
import { TrafficCollectSchedule } from './jobs/traffic-collect.schedule';
import { LogsCollectSchedule } from './jobs/logs-collect.schedule';
import { OtlpExportSchedule } from './jobs/otlp-export.schedule';
import { ReleaseVerdictsSchedule } from './jobs/release-verdicts.schedule';
import { ResourcesSampleSchedule } from './jobs/resources-sample.schedule';
import { ReplicaLogsModule } from './replica-logs.module';
import { BillingModule, BillingPaymentsModule } from '@slipway/billing';
import { PaymentsModule } from '@slipway/payments';
import { ApiPaymentsSchedule } from './jobs/api-payments.schedule';
import { ApiPayoutsSchedule } from './jobs/api-payouts.schedule';
import { MarketplaceModule } from '@slipway/marketplace';
import { MarketplaceEdgeSyncSchedule } from './jobs/marketplace-edge-sync.schedule';

import { ApiUsageIngestJob } from './jobs/api-usage-ingest';
import { ApiBillingPeriodsSchedule } from './jobs/api-billing-periods.schedule';

/** Job processors: builds, deployments and deleted projects' teardown (BullMQ), scheduled work (the reconciler, expired-session cleanup), gateway usage, custom-domain re-checks, app traffic and replica logs collection, replica resource sampling, release verdicts and automatic rollback, OTLP export, image retention and the build cache budget. */
@Module({
  imports: [ConfigModule, DbModule, RedisModule, CryptoModule, AuditModule, DockerModule, GitModule, QueueModule, IdentityModule, BuildsModule, DeploymentsModule, DeploymentGatewayModule, UsageModule, TrafficCollectorModule, ReplicaLogsModule, ResourceSamplerModule, ReleaseVerdictsJobModule, OtlpExportModule, ProjectDataPurgeModule, PaymentsModule, BillingPaymentsModule, BillingModule, MarketplaceModule],
  providers: [SessionCleanup, BuildJob, DeployJob, TeardownJob, ReconcileSchedule, UsageConsumerJob, DomainRecheckSchedule, TrafficCollectSchedule, LogsCollectSchedule, ResourcesSampleSchedule, ReleaseVerdictsSchedule, OtlpExportSchedule, ImagesPruneSchedule, ApiPaymentsSchedule, ApiPayoutsSchedule, MarketplaceEdgeSyncSchedule, ApiUsageIngestJob, ApiBillingPeriodsSchedule],
})
export class WorkerModule {}
