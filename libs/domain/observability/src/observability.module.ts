import { Module } from '@nestjs/common';
import { TopPathsRepository } from './top-paths.repository';
import { TopPathsService } from './top-paths.service';
import { TrafficCollector } from './traffic-collector';
import { TrafficRepository } from './traffic.repository';
import { TrafficService } from './traffic.service';
import { TrafficStorageRepository } from './traffic-storage.repository';

/** App traffic queries (the api). Needs DbModule and CONFIG from the app. */
@Module({ providers: [TrafficRepository, TrafficService, TopPathsRepository, TopPathsService], exports: [TrafficService, TopPathsService] })
export class ObservabilityModule {}

/** The collector of the edge's samples (the worker only: it holds a Redis connection of its own). Needs DbModule, RedisModule and CONFIG. */
@Module({ providers: [TrafficStorageRepository, TrafficCollector], exports: [TrafficCollector] })
export class TrafficCollectorModule {}
