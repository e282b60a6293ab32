import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { appHost, type EdgeRoute, type EdgeRouteTable } from '@slipway/contracts';
import { RedisService, RouteTableStore } from '@slipway/redis';
import { DeploymentsRepository, type LiveEnvironmentRoute } from './deployments.repository';

/** The host naming rule is shared with the URLs users see (contracts' appHost). */
export { PRODUCTION_ENVIRONMENT, appHost as environmentHost } from '@slipway/contracts';

/**
 * The whole table for a set of live environments; pure, so it is unit-tested without Postgres.
 * A host is served by exactly one environment: if two ever compute the same host (project
 * `a` env `b` and project `a-b`), the older environment keeps it (`live` is in creation order).
 */
export function buildRouteTable(live: LiveEnvironmentRoute[], appsDomain: string, version: number, now: Date): EdgeRouteTable {
  const claimed = new Set<string>();
  const routes: EdgeRoute[] = live.flatMap((e) => {
    const hosts = [appHost(e.hostLabel, e.environmentName, appsDomain), ...(e.customDomains ?? [])].filter((h) => !claimed.has(h));
    if (!hosts.length) return [];
    for (const h of hosts) claimed.add(h);
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
