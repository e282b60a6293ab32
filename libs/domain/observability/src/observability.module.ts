import { Module } from '@nestjs/common';
import { SecretsModule } from '@slipway/secrets';
import { LogsCollector } from './logs-collector';
import { LogsRepository } from './logs.repository';
import { LogsService } from './logs.service';
import { LogsStorageRepository } from './logs-storage.repository';
import { DeploymentsModule } from '@slipway/deployments';
import { AutoRollback } from './auto-rollback';
import { MarkersRepository } from './markers.repository';
import { MarkersService } from './markers.service';
import { OrganizationHealthRepository } from './organization-health.repository';
import { OrganizationHealthService } from './organization-health.service';
import { ReleaseVerdictsRepository } from './release-verdicts.repository';
import { ReleaseVerdictsService } from './release-verdicts.service';
import { TopPathsRepository } from './top-paths.repository';
import { TopPathsService } from './top-paths.service';
import { ModelTrafficRepository } from './model-traffic.repository';
import { ModelTrafficService } from './model-traffic.service';
import { ResourceSampler } from './resource-sampler';
import { ResourcesRepository } from './resources.repository';
import { ResourcesService } from './resources.service';
import { ResourcesStorageRepository } from './resources-storage.repository';
import { ReleaseResourceAveragesProvider, ReplicaMarkerSource } from './resource-seams';
import { EXTRA_MARKER_SOURCE, RELEASE_RESOURCES_PROVIDER } from './seams';
import { TrafficCollector } from './traffic-collector';
import { ProjectDataPurge } from './project-data-purge';
import { ProjectDataRepository } from './project-data.repository';
import { TrafficRepository } from './traffic.repository';
import { TrafficService } from './traffic.service';
import { TrafficStorageRepository } from './traffic-storage.repository';

/** The resource queries the verdict reads, and the seams bound to them (both modules use them). */
const resourceQueries = [
  ResourcesRepository,
  ResourcesService,
  ReplicaMarkerSource,
  ReleaseResourceAveragesProvider,
  { provide: EXTRA_MARKER_SOURCE, useExisting: ReplicaMarkerSource },
  { provide: RELEASE_RESOURCES_PROVIDER, useExisting: ReleaseResourceAveragesProvider },
];

/** App traffic, top paths, resources, logs, model traffic, markers, release verdicts and the organization overview (the api's queries). Needs DbModule and CONFIG from the app. */
@Module({
  providers: [
    TrafficRepository,
    TrafficService,
    TopPathsRepository,
    TopPathsService,
    ...resourceQueries,
    ModelTrafficRepository,
    ModelTrafficService,
    ReleaseVerdictsRepository,
    ReleaseVerdictsService,
    LogsRepository,
    LogsService,
    MarkersRepository,
    MarkersService,
    OrganizationHealthRepository,
    OrganizationHealthService,
  ],
  exports: [TrafficService, TopPathsService, ResourcesService, ModelTrafficService, LogsService, ReleaseVerdictsService, MarkersService, OrganizationHealthService],
})
export class ObservabilityModule {}

/** The collector of the edge's samples (the worker only: it holds a Redis connection of its own). Needs DbModule, RedisModule and CONFIG. */
@Module({ providers: [TrafficStorageRepository, TrafficCollector], exports: [TrafficCollector] })
export class TrafficCollectorModule {}

/** The `release-verdicts` job's work (the worker only): judging releases in their watch window, and automatic rollback. Needs DbModule, QueueModule, AuditModule and CONFIG. */
@Module({
  imports: [DeploymentsModule],
  providers: [ReleaseVerdictsRepository, ReleaseVerdictsService, AutoRollback, ...resourceQueries],
  exports: [ReleaseVerdictsService, AutoRollback],
})
export class ReleaseVerdictsJobModule {}

/** The sampler of replica resources and lifecycle events (the worker only). Needs DbModule, RedisModule, DockerModule and CONFIG. */
@Module({ providers: [ResourcesStorageRepository, ResourceSampler], exports: [ResourceSampler] })
export class ResourceSamplerModule {}

/**
 * The collector of replica logs (the worker only: it reads containers and their output). Needs
 * DbModule, RedisModule, DockerModule, CryptoModule (secret values, to redact them) and CONFIG.
 */
@Module({ imports: [SecretsModule], providers: [LogsStorageRepository, LogsCollector], exports: [LogsCollector] })
export class LogsCollectorModule {}

/** A deleted project's observability rows, removed by the `teardown` job (the worker only). Needs DbModule. */
@Module({ providers: [ProjectDataRepository, ProjectDataPurge], exports: [ProjectDataPurge] })
export class ProjectDataPurgeModule {}
