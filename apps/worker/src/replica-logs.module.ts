import { Global, Module } from '@nestjs/common';
import { REPLICA_LOG_FLUSHER, type ReplicaLogFlusher } from '@slipway/deployments';
import { LogsCollector, LogsCollectorModule } from '@slipway/observability';

/**
 * Gives deployments and the reconciler the logs collector through their REPLICA_LOG_FLUSHER port
 * (global, so DeployRelease and Reconciler inside DeploymentsModule see it): a replica's last
 * lines are stored before its container is removed.
 */
@Global()
@Module({
  imports: [LogsCollectorModule],
  providers: [{ provide: REPLICA_LOG_FLUSHER, useFactory: (logs: LogsCollector): ReplicaLogFlusher => logs, inject: [LogsCollector] }],
  exports: [REPLICA_LOG_FLUSHER, LogsCollectorModule],
})
export class ReplicaLogsModule {}
