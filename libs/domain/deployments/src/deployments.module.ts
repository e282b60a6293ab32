import { Module, type DynamicModule } from '@nestjs/common';
import { SecretsModule } from '@slipway/secrets';
import { DEPLOY_OPTIONS, ROUTE_TABLE_PUBLISHER, type DeployOptions } from './deploy-options';
import { DeployRelease } from './deploy-release';
import { DeploymentsRepository } from './deployments.repository';
import { DeploymentsService } from './deployments.service';
import { RouteTable } from './route-table';
import { PushService } from './push.service';
import { DomainsService } from './domains/domains.service';
import { DomainsRepository } from './domains/domains.repository';
import { DomainVerifier } from './domains/domain-verifier';
import { DnsTxtLookup } from './domains/dns-txt-lookup';
import { Reconciler } from './reconcile/reconciler';
import { ReconcileRepository } from './reconcile/reconcile.repository';
import { GatewayRelays } from './gateway-relays';
import { ProjectTeardown } from './project-teardown';
import { ProjectNetworks } from './networks/project-networks';
import { ProjectNetworksRepository } from './networks/project-networks.repository';
import { ImageRetention } from './image-retention';
import { ImageRetentionRepository } from './image-retention.repository';
import { BuildsModule } from '@slipway/builds';
import { MachineCapacity, MachineCapacityRepository } from './capacity';

/** Deployments, rollbacks, the edge route table, custom domains, gateway relays, project networks, project teardown, image retention and the machine's capacity. Relies on the global Db, Config, Docker and Redis modules. */
@Module({
  imports: [SecretsModule, BuildsModule],
  providers: [
    DeploymentsRepository,
    DeploymentsService,
    DeployRelease,
    RouteTable,
    { provide: ROUTE_TABLE_PUBLISHER, useExisting: RouteTable },
    PushService,
    ReconcileRepository,
    Reconciler,
    DomainsRepository,
    DnsTxtLookup,
    DomainVerifier,
    DomainsService,
    GatewayRelays,
    ProjectTeardown,
    ProjectNetworksRepository,
    ProjectNetworks,
    ImageRetentionRepository,
    ImageRetention,
    MachineCapacityRepository,
    MachineCapacity,
  ],
  exports: [
    DeploymentsService,
    DeployRelease,
    RouteTable,
    PushService,
    Reconciler,
    DomainsService,
    GatewayRelays,
    ProjectTeardown,
    ImageRetention,
    ProjectNetworks,
    MachineCapacity,
  ],
})
export class DeploymentsModule {
  /** The module with DeployOptions (drain, stop grace, extra labels), e.g. a 1 s drain in tests. */
  static register(options: DeployOptions): DynamicModule {
    return { module: DeploymentsModule, providers: [{ provide: DEPLOY_OPTIONS, useValue: options }] };
  }
}
