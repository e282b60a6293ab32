import { Module } from '@nestjs/common';
import { ModelTrafficRepository } from './model-traffic.repository';
import { ModelTrafficService } from './model-traffic.service';
import { ResourceSampler } from './resource-sampler';
import { ResourcesRepository } from './resources.repository';
import { ResourcesService } from './resources.service';
import { ResourcesStorageRepository } from './resources-storage.repository';
import { TrafficCollector } from './traffic-collector';
import { TrafficRepository } from './traffic.repository';
import { TrafficService } from './traffic.service';
import { TrafficStorageRepository } from './traffic-storage.repository';

/** App traffic, replica resources and model traffic queries (the api; ResourcesService also serves the verdict's averages). Needs DbModule and CONFIG from the app. */
@Module({
  providers: [TrafficRepository, TrafficService, ResourcesRepository, ResourcesService, ModelTrafficRepository, ModelTrafficService],
  exports: [TrafficService, ResourcesService, ModelTrafficService],
})
export class ObservabilityModule {}

/** The collector of the edge's samples (the worker only: it holds a Redis connection of its own). Needs DbModule, RedisModule and CONFIG. */
@Module({ providers: [TrafficStorageRepository, TrafficCollector], exports: [TrafficCollector] })
export class TrafficCollectorModule {}

/** The sampler of replica resources and lifecycle events (the worker only). Needs DbModule, RedisModule, DockerModule and CONFIG. */
@Module({ providers: [ResourcesStorageRepository, ResourceSampler], exports: [ResourceSampler] })
export class ResourceSamplerModule {}
