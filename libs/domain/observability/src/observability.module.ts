import { Module } from '@nestjs/common';
import { SecretsModule } from '@slipway/secrets';
import { LogsCollector } from './logs-collector';
import { LogsRepository } from './logs.repository';
import { LogsService } from './logs.service';
import { LogsStorageRepository } from './logs-storage.repository';
import { TrafficCollector } from './traffic-collector';
import { TrafficRepository } from './traffic.repository';
import { TrafficService } from './traffic.service';
import { TrafficStorageRepository } from './traffic-storage.repository';

/** App traffic and log queries (the api). Needs DbModule and CONFIG from the app. */
@Module({ providers: [TrafficRepository, TrafficService, LogsRepository, LogsService], exports: [TrafficService, LogsService] })
export class ObservabilityModule {}

/** The collector of the edge's samples (the worker only: it holds a Redis connection of its own). Needs DbModule, RedisModule and CONFIG. */
@Module({ providers: [TrafficStorageRepository, TrafficCollector], exports: [TrafficCollector] })
export class TrafficCollectorModule {}

/**
 * The collector of replica logs (the worker only: it reads containers and their output). Needs
 * DbModule, RedisModule, DockerModule, CryptoModule (secret values, to redact them) and CONFIG.
 */
@Module({ imports: [SecretsModule], providers: [LogsStorageRepository, LogsCollector], exports: [LogsCollector] })
export class LogsCollectorModule {}
