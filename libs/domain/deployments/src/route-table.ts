import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { appHost, billableOperationSchema, type EdgeRoute, type EdgeRouteTable } from '@slipway/contracts';
import { Envelope } from '@slipway/crypto';
import { RedisService, RouteTableStore } from '@slipway/redis';
import { DeploymentsRepository, type LiveEnvironmentRoute, type LiveListing } from './deployments.repository';

export { PRODUCTION_ENVIRONMENT } from '@slipway/contracts';

/**
 * The whole table for a set of live environments; pure, so it is unit-tested without Postgres.
 * Hosts are the environments' HostReservation rows, unique across tenants by a unique index, so
 * no host can have two owners: generated names are unique among themselves, and so are custom
 * domains. A custom domain can only meet a generated host if APPS_DOMAIN was changed after it was
 * verified (domains under APPS_DOMAIN are refused); then the generated host wins.
 */
export function buildRouteTable(live: LiveEnvironmentRoute[], appsDomain: string, version: number, now: Date, apis?: ListingRouting): EdgeRouteTable {
  const generated = new Set(live.flatMap((e) => e.appHosts.map((name) => appHost(name, appsDomain))));
  const routes: EdgeRoute[] = live.flatMap((e) => {
    const hosts = [...e.appHosts.map((name) => appHost(name, appsDomain)), ...e.customDomains.filter((d) => !generated.has(d))];
    const base = {
      organizationId: e.organizationId,
      projectId: e.projectId,
      environmentId: e.environmentId,
      releaseId: e.releaseId,
      upstreams: e.replicas.map((r) => ({ host: '127.0.0.1' as const, port: r.hostPort, containerId: r.containerId })),
    };
    const own: EdgeRoute[] = hosts.length ? [{ hosts, ...base }] : [];
    return [...own, ...(apis ? e.listings.flatMap((l) => listingRoute(l, base, apis)) : [])];
  });
  return { version, generatedAt: now.toISOString(), routes };
}

/** How listing routes are made: their host's domain, and how a listing's sealed edge secret opens. */
export interface ListingRouting {
  apiDomain: string;
  /** The secret in clear, or null when it cannot be opened (the listing is then left out, never routed unenforced). */
  openSecret(listing: LiveListing): string | null;
}

/** The AAD of a listing's sealed edge secret: it opens only for its own row. */
export const listingEdgeSecretAad = (listingId: string): string => `api-listing:${listingId}`;

/**
 * A published API's own route: the environment's upstreams on `<slug>.<API_DOMAIN>`, with the
 * `listing` the edge enforces. The environment's own hosts stay unenforced (the app tells the
 * two apart by `slipway-proxy-secret`).
 */
function listingRoute(l: LiveListing, base: Omit<EdgeRoute, 'hosts' | 'listing'>, apis: ListingRouting): EdgeRoute[] {
  const secret = apis.openSecret(l);
  const operations = billableOperationSchema.array().safeParse(l.operations);
  if (secret === null || !operations.success) return [];
  return [
    {
      hosts: [appHost(l.slug, apis.apiDomain)],
      ...base,
      listing: { listingId: l.listingId, slug: l.slug, secret, operations: operations.data, billServerErrors: l.billServerErrors },
    },
  ];
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

  private readonly logger = new Logger('route-table');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repository: DeploymentsRepository,
    redis: RedisService,
    @Optional() @Inject(Envelope) private readonly envelope?: Envelope,
  ) {
    this.store = new RouteTableStore(redis.client);
  }

  /** Listing routes need the envelope to open their secrets; without it (unit wiring) none are built. */
  private listingRouting(): ListingRouting | undefined {
    const envelope = this.envelope;
    if (!envelope) return undefined;
    return {
      apiDomain: this.config.API_DOMAIN,
      openSecret: (l) => {
        try {
          return envelope.open(l.sealedEdgeSecret, listingEdgeSecretAad(l.listingId));
        } catch {
          this.logger.error(`listing ${l.slug}: its edge secret cannot be opened with the configured master key; its API host is not routed (rotate the secret)`);
          return null;
        }
      },
    };
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
        const table = buildRouteTable(live, this.config.APPS_DOMAIN, nextRouteTableVersion(previous, Date.now()), new Date(), this.listingRouting());
        const result = await this.store.publish(table);
        if (result.published) return { previous, table };
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(`route table: publish refused ${MAX_ATTEMPTS} times (stored version ${result.currentVersion})`);
      }
    });
  }
}
