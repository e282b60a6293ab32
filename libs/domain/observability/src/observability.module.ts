import { Module } from '@nestjs/common';
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
import { TrafficCollector } from './traffic-collector';
import { TrafficRepository } from './traffic.repository';
import { TrafficService } from './traffic.service';
import { TrafficStorageRepository } from './traffic-storage.repository';

/** App traffic, top paths, markers, release verdicts and the organization overview (the api's queries). Needs DbModule and CONFIG from the app. */
@Module({
  providers: [
    TrafficRepository,
    TrafficService,
    TopPathsRepository,
    TopPathsService,
    ReleaseVerdictsRepository,
    ReleaseVerdictsService,
    MarkersRepository,
    MarkersService,
    OrganizationHealthRepository,
    OrganizationHealthService,
  ],
  exports: [TrafficService, TopPathsService, ReleaseVerdictsService, MarkersService, OrganizationHealthService],
})
export class ObservabilityModule {}

/** The collector of the edge's samples (the worker only: it holds a Redis connection of its own). Needs DbModule, RedisModule and CONFIG. */
@Module({ providers: [TrafficStorageRepository, TrafficCollector], exports: [TrafficCollector] })
export class TrafficCollectorModule {}

/** The `release-verdicts` job's work (the worker only): judging releases in their watch window, and automatic rollback. Needs DbModule, QueueModule, AuditModule and CONFIG. */
@Module({
  imports: [DeploymentsModule],
  providers: [ReleaseVerdictsRepository, ReleaseVerdictsService, AutoRollback],
  exports: [ReleaseVerdictsService, AutoRollback],
})
export class ReleaseVerdictsJobModule {}
