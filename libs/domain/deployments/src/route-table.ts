import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { appHost, type EdgeRoute, type EdgeRouteTable } from '@slipway/contracts';
import { RedisService, RouteTableStore } from '@slipway/redis';
import { DeploymentsRepository, type LiveEnvironmentRoute } from './deployments.repository';

export { PRODUCTION_ENVIRONMENT } from '@slipway/contracts';

/**
 * The whole table for a set of live environments; pure, so it is unit-tested without Postgres.
 * Hosts are the environments' HostReservation rows, unique across tenants by a unique index, so
 * no host can have two owners: generated names are unique among themselves, and so are custom
 * domains. A custom domain can only meet a generated host if APPS_DOMAIN was changed after it was
 * verified (domains under APPS_DOMAIN are refused); then the generated host wins.
 */
export function buildRouteTable(live: LiveEnvironmentRoute[], appsDomain: string, version: number, now: Date): EdgeRouteTable {
  const generated = new Set(live.flatMap((e) => e.appHosts.map((name) => appHost(name, appsDomain))));
  const routes: EdgeRoute[] = live.flatMap((e) => {
    const hosts = [...e.appHosts.map((name) => appHost(name, appsDomain)), ...e.customDomains.filter((d) => !generated.has(d))];
    if (!hosts.length) return [];
    return [
      {
        hosts,
        organizationId: e.organizationId,
        projectId: e.projectId,
        environmentId: e.environmentId,
        releaseId: e.releaseId,
        upstreams: e.replicas.map((r) => ({ host: '127.0.0.1' as const, port: r.hostPort, containerId: r.containerId })),
      },
    ];
  });
  return { version, generatedAt: now.toISOString(), routes };
}

/** Versions only go up: the clock when it is ahead, else one past the stored table. */
export const nextRouteTableVersion = (current: EdgeRouteTable | null, nowMs: number): number =>
  Math.max(nowMs, (current?.version ?? -1) + 1);

export interface PublishedRouteTable {
  previous: EdgeRouteTable | null;
  table: EdgeRouteTable;
}

/** Publishes a route table; DeployRelease depends on this interface so unit tests can record calls. */
export interface RouteTablePublisher {
  publish(): Promise<PublishedRouteTable>;
}

const MAX_ATTEMPTS = 5;

/**
 * Rebuilds the edge's route table from Postgres (the state machine) and publishes it with the
 * store's compare-and-set. Builds are serialized by a Postgres advisory lock, so a table built
 * from older rows can never be published after one built from newer rows, even by another
 * worker; the CAS refusal path (a table published outside the lock) rebuilds and retries.
 */
@Injectable()
export class RouteTable implements RouteTablePublisher {
  private readonly store: RouteTableStore;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repository: DeploymentsRepository,
    redis: RedisService,
  ) {
    this.store = new RouteTableStore(redis.client);
  }

  /** The table as Redis holds it now (null before the first publish). */
  current(): Promise<EdgeRouteTable | null> {
    return this.store.load();
  }

  async publish(): Promise<PublishedRouteTable> {
    return this.repository.withRouteTableLock(async (tx) => {
      for (let attempt = 1; ; attempt++) {
        const previous = await this.store.load().catch(() => null); // an invalid stored table is replaced
        const live = await this.repository.liveRoutesOfAllTenants(tx);
        const table = buildRouteTable(live, this.config.APPS_DOMAIN, nextRouteTableVersion(previous, Date.now()), new Date());
        const result = await this.store.publish(table);
        if (result.published) return { previous, table };
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(`route table: publish refused ${MAX_ATTEMPTS} times (stored version ${result.currentVersion})`);
      }
    });
  }
}
