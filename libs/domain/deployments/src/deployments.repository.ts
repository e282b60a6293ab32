import { Injectable } from '@nestjs/common';
import { ACTIVE_STATUSES, type FinalStatus, type TenantScope } from '@slipway/contracts';
import { PrismaService, type DeploymentKind, type ReplicaState, type Tx } from '@slipway/db';
import { SupersededAttemptError } from '@slipway/errors';

export interface NewDeployment {
  projectId: string;
  environmentId: string;
  releaseId: string;
  kind: DeploymentKind;
  createdById?: string | null;
  reason?: string | null;
  automatic?: boolean;
}

export interface NewReplica {
  environmentId: string;
  releaseId: string;
  deploymentId: string;
  index: number;
  containerName: string;
}

export interface TimelineEntry {
  step: string;
  message: string;
  level?: 'info' | 'warn' | 'error';
  at?: Date;
}

export type FinalDeploymentStatus = FinalStatus;

/**
 * One claimed attempt at a deployment (README: attempt fencing). Every write it makes is
 * conditional on `attempt` still owning the row: the deployment row is locked FOR SHARE in the
 * same transaction, so a newer claim (which updates the row) waits for the write or makes it
 * fail with SupersededAttemptError.
 */
export interface DeploymentClaim {
  deploymentId: string;
  attempt: number;
}

/** A replica the edge may send traffic to. */
export interface RoutableReplica {
  containerId: string;
  hostPort: number;
}

/** An environment with a live release and the HEALTHY replicas of that release. */
export interface LiveEnvironmentRoute {
  organizationId: string;
  projectId: string;
  projectSlug: string;
  /** Its generated names under APPS_DOMAIN (HostReservation rows of kind APP: `shop`, `shop--staging`). */
  appHosts: string[];
  /** Its verified custom domains (HostReservation rows of kind DOMAIN). */
  customDomains: string[];
  environmentId: string;
  environmentName: string;
  releaseId: string;
  replicas: RoutableReplica[];
  /** Its PUBLISHED marketplace listings (each routed on its own host `<slug>.<API_DOMAIN>`). */
  listings: LiveListing[];
}

/** A published API of a live environment, as the route table needs it (the secret still sealed). */
export interface LiveListing {
  listingId: string;
  slug: string;
  sealedEdgeSecret: string;
  /** contracts billableOperationSchema[] as stored. */
  operations: unknown;
  billServerErrors: boolean;
}

/** Serializes route-table publishers across workers (pg_advisory_xact_lock key). */
const ROUTE_TABLE_LOCK = 0x5e_d9e_7ab;

/**
 * Deployments, their timeline, their replicas and the environment's live release.
 * Tenant scope first, optional tx last; `liveRoutesOfAllTenants` is the one deliberate
 * exception (the edge's route table spans every organization).
 */
@Injectable()
export class DeploymentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { maxWait: 5_000, timeout: 15_000 });
  }

  /** Whether the project row is still there (a teardown waits for its deletion to commit). */
  async projectExists(scope: TenantScope, projectId: string): Promise<boolean> {
    return (await this.prisma.project.count({ where: { id: projectId, organizationId: scope.organizationId } })) > 0;
  }

  async projectSlugs(scope: TenantScope, projectId: string): Promise<{ org: string; project: string } | null> {
    const found = await this.prisma.project.findFirst({ where: { id: projectId, organizationId: scope.organizationId }, select: { slug: true, organization: { select: { slug: true } } } });
    return found && { org: found.organization.slug, project: found.slug };
  }

  // ---- deployments ----------------------------------------------------------------------

  async create(scope: TenantScope, data: NewDeployment, tx?: Tx) {
    return (tx ?? this.prisma).deployment.create({ data: { ...data, organizationId: scope.organizationId } });
  }

  async find(scope: TenantScope, id: string, tx?: Tx) {
    return (tx ?? this.prisma).deployment.findFirst({ where: { id, organizationId: scope.organizationId } });
  }

  async findWithRelease(scope: TenantScope, id: string) {
    return this.prisma.deployment.findFirst({ where: { id, organizationId: scope.organizationId }, include: { release: { select: { number: true, commitSha: true, message: true, authorName: true } } } });
  }

  /** A deployment with what running it needs: its release and its environment's project slug. */
  async findForRun(scope: TenantScope, id: string, tx?: Tx) {
    return (tx ?? this.prisma).deployment.findFirst({
      where: { id, organizationId: scope.organizationId },
      include: { release: true, environment: { include: { project: { select: { id: true, slug: true } } } } },
    });
  }

  /** Newest first, with the release's number and commit for the list view. */
  async listForEnvironment(scope: TenantScope, environmentId: string, take = 50, tx?: Tx) {
    return (tx ?? this.prisma).deployment.findMany({
      where: { organizationId: scope.organizationId, environmentId },
      orderBy: { queuedAt: 'desc' },
      take,
      include: { release: { select: { number: true, commitSha: true, message: true, authorName: true } } },
    });
  }

  /** QUEUED or RUNNING deployments of an environment. */
  async active(scope: TenantScope, environmentId: string, tx?: Tx) {
    return (tx ?? this.prisma).deployment.findMany({
      where: { organizationId: scope.organizationId, environmentId, status: { in: [...ACTIVE_STATUSES] } },
      orderBy: { queuedAt: 'asc' },
    });
  }

  /** Cancels the environment's QUEUED deployments (superseded); returns how many. */
  async cancelQueued(scope: TenantScope, environmentId: string, reason: string, tx?: Tx): Promise<number> {
    const { count } = await (tx ?? this.prisma).deployment.updateMany({
      where: { organizationId: scope.organizationId, environmentId, status: 'QUEUED' },
      data: { status: 'CANCELLED', failureReason: reason, finishedAt: new Date() },
    });
    return count;
  }

  /**
   * QUEUED → RUNNING, recording the release live at that moment, and bumping the attempt the
   * run then owns. Refused when the deployment is not QUEUED any more or another deployment of
   * the environment is RUNNING; the environment row is locked so two workers cannot both pass
   * the check.
   */
  async markRunning(scope: TenantScope, id: string, environmentId: string, now: Date, tx: Tx): Promise<DeploymentClaim | 'NOT_QUEUED' | 'BUSY'> {
    const env = await this.lockEnvironment(scope, environmentId, tx);
    if (!env) return 'NOT_QUEUED';
    const running = await tx.deployment.count({
      where: { organizationId: scope.organizationId, environmentId, status: 'RUNNING', id: { not: id } },
    });
    if (running > 0) return 'BUSY';
    const [claimed] = await tx.deployment.updateManyAndReturn({
      where: { id, organizationId: scope.organizationId, status: 'QUEUED' },
      data: { status: 'RUNNING', startedAt: now, previousReleaseId: env.liveReleaseId, attempt: { increment: 1 } },
      select: { attempt: true },
    });
    return claimed ? { deploymentId: id, attempt: claimed.attempt } : 'NOT_QUEUED';
  }

  /**
   * A RUNNING deployment taken over by a new run (its job re-ran: the worker died, or lost its
   * queue lock): the attempt is bumped, so the old run, if it still runs, writes nothing more.
   * Null when the deployment is not RUNNING any more.
   */
  async resume(scope: TenantScope, id: string): Promise<DeploymentClaim | null> {
    const [claimed] = await this.prisma.deployment.updateManyAndReturn({
      where: { id, organizationId: scope.organizationId, status: 'RUNNING' },
      data: { attempt: { increment: 1 } },
      select: { attempt: true },
    });
    return claimed ? { deploymentId: id, attempt: claimed.attempt } : null;
  }

  /**
   * Locks the deployment row (FOR SHARE, until `tx` ends) while `claim` owns it; throws
   * SupersededAttemptError once a newer attempt does. Every write of a run goes through this.
   */
  async lockOwned(scope: TenantScope, claim: DeploymentClaim, tx: Tx): Promise<void> {
    const rows = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "Deployment" WHERE id = ${claim.deploymentId} AND "organizationId" = ${scope.organizationId} AND attempt = ${claim.attempt} FOR SHARE`;
    if (rows.length !== 1) throw new SupersededAttemptError(`deployment ${claim.deploymentId}`, claim.attempt);
  }

  /** Throws SupersededAttemptError when `claim` no longer owns the deployment (checked before touching containers). */
  async stillOwned(scope: TenantScope, claim: DeploymentClaim): Promise<void> {
    const owned = await this.prisma.deployment.count({ where: { id: claim.deploymentId, organizationId: scope.organizationId, attempt: claim.attempt } });
    if (owned !== 1) throw new SupersededAttemptError(`deployment ${claim.deploymentId}`, claim.attempt);
  }

  /** Runs `fn` in a transaction that holds the claim (see lockOwned); `tx` when the caller has one. */
  async asOwner<T>(scope: TenantScope, claim: DeploymentClaim, fn: (tx: Tx) => Promise<T>, tx?: Tx): Promise<T> {
    const run = async (t: Tx) => {
      await this.lockOwned(scope, claim, t);
      return fn(t);
    };
    return tx ? run(tx) : this.transaction(run);
  }

  /**
   * Ends the run's deployment. Only the attempt that owns it can (the reconciler takes a row
   * over by bumping the attempt too), so anything else is SupersededAttemptError.
   */
  async finish(
    scope: TenantScope,
    claim: DeploymentClaim,
    data: { status: FinalDeploymentStatus; failureReason?: string | null; failedReplicaLogs?: string | null },
    tx?: Tx,
  ): Promise<void> {
    const { count } = await (tx ?? this.prisma).deployment.updateMany({
      where: { id: claim.deploymentId, organizationId: scope.organizationId, attempt: claim.attempt, status: { in: [...ACTIVE_STATUSES] } },
      data: { ...data, finishedAt: new Date() },
    });
    if (count !== 1) throw new SupersededAttemptError(`deployment ${claim.deploymentId}`, claim.attempt);
  }

  // ---- timeline -------------------------------------------------------------------------

  /** A step of the run's timeline (events have no organization column: the claim checks the deployment under `scope`). */
  async appendEvent(scope: TenantScope, claim: DeploymentClaim, entry: TimelineEntry, tx?: Tx) {
    return this.asOwner(
      scope,
      claim,
      (t) =>
        t.deploymentEvent.create({
          data: { deploymentId: claim.deploymentId, step: entry.step, message: entry.message, level: entry.level ?? 'info', ...(entry.at ? { at: entry.at } : {}) },
        }),
      tx,
    );
  }

  /** The newest deployment of a release (what a push follows after its build). */
  async latestForRelease(scope: TenantScope, releaseId: string) {
    return this.prisma.deployment.findFirst({ where: { organizationId: scope.organizationId, releaseId }, orderBy: { queuedAt: 'desc' }, select: { id: true } });
  }

  /** Status and the timeline entries after `afterId`, for live followers. */
  async progress(scope: TenantScope, deploymentId: string, afterId: bigint) {
    const deployment = await this.prisma.deployment.findFirst({
      where: { id: deploymentId, organizationId: scope.organizationId },
      select: { status: true, failureReason: true, failedReplicaLogs: true, events: { where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, select: { id: true, message: true } } },
    });
    return deployment;
  }

  async events(scope: TenantScope, deploymentId: string, tx?: Tx) {
    return (tx ?? this.prisma).deploymentEvent.findMany({
      where: { deploymentId, deployment: { organizationId: scope.organizationId } },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      select: { at: true, step: true, message: true, level: true },
    });
  }

  // ---- replicas -------------------------------------------------------------------------

  async createReplica(scope: TenantScope, claim: DeploymentClaim, data: Omit<NewReplica, 'deploymentId'>) {
    return this.asOwner(scope, claim, (tx) => tx.replica.create({ data: { ...data, deploymentId: claim.deploymentId, organizationId: scope.organizationId, state: 'STARTING' } }));
  }

  async setReplicaContainer(scope: TenantScope, claim: DeploymentClaim, id: string, data: { containerId: string; hostPort: number | null }): Promise<void> {
    await this.asOwner(scope, claim, (tx) => tx.replica.updateMany({ where: { id, organizationId: scope.organizationId }, data }));
  }

  /** Replica states a run sets: its own replicas', and in its switch and drain those it retires. */
  async setReplicaState(
    scope: TenantScope,
    claim: DeploymentClaim,
    ids: string[],
    state: ReplicaState,
    extra: { lastExitCode?: number | null } = {},
    tx?: Tx,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.asOwner(
      scope,
      claim,
      (t) => t.replica.updateMany({ where: { id: { in: ids }, organizationId: scope.organizationId }, data: { state, ...extra } }),
      tx,
    );
  }

  async replicasOfDeployment(scope: TenantScope, deploymentId: string, states?: ReplicaState[], tx?: Tx) {
    return (tx ?? this.prisma).replica.findMany({
      where: { organizationId: scope.organizationId, deploymentId, ...(states ? { state: { in: states } } : {}) },
      orderBy: { index: 'asc' },
    });
  }

  /** Replicas of the environment started by other deployments that still run (what a switch retires). */
  async runningReplicasNotOf(scope: TenantScope, environmentId: string, deploymentId: string, tx?: Tx) {
    return (tx ?? this.prisma).replica.findMany({
      where: {
        organizationId: scope.organizationId,
        environmentId,
        deploymentId: { not: deploymentId },
        state: { in: ['STARTING', 'HEALTHY', 'CRASHED', 'DRAINING'] },
      },
      orderBy: [{ createdAt: 'asc' }, { index: 'asc' }],
    });
  }

  // ---- environments and releases --------------------------------------------------------

  async findEnvironment(scope: TenantScope, environmentId: string, tx?: Tx) {
    return (tx ?? this.prisma).environment.findFirst({ where: { id: environmentId, organizationId: scope.organizationId } });
  }

  async liveReleaseId(scope: TenantScope, environmentId: string, tx?: Tx): Promise<string | null> {
    const env = await (tx ?? this.prisma).environment.findFirst({
      where: { id: environmentId, organizationId: scope.organizationId },
      select: { liveReleaseId: true },
    });
    return env?.liveReleaseId ?? null;
  }

  async setLiveRelease(scope: TenantScope, environmentId: string, releaseId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).environment.updateMany({
      where: { id: environmentId, organizationId: scope.organizationId },
      data: { liveReleaseId: releaseId },
    });
  }

  async findRelease(scope: TenantScope, releaseId: string, tx?: Tx) {
    return (tx ?? this.prisma).release.findFirst({ where: { id: releaseId, organizationId: scope.organizationId } });
  }

  /** Releases of the environment whose build succeeded (all of them, by construction), newest first. */
  async successfulReleases(scope: TenantScope, environmentId: string, tx?: Tx) {
    return (tx ?? this.prisma).release.findMany({
      where: { organizationId: scope.organizationId, environmentId, build: { status: 'SUCCEEDED' } },
      orderBy: { number: 'desc' },
    });
  }

  // ---- route table ----------------------------------------------------------------------

  /**
   * Every environment, across all organizations, whose live release has at least one HEALTHY
   * replica with a container, with those replicas. Only the route table reads this.
   */
  async liveRoutesOfAllTenants(tx?: Tx): Promise<LiveEnvironmentRoute[]> {
    const envs = await (tx ?? this.prisma).environment.findMany({
      where: { liveReleaseId: { not: null } },
      // Hosts come from the reservation table only: one row per host across all tenants.
      select: { id: true, name: true, organizationId: true, liveReleaseId: true, project: { select: { id: true, slug: true } }, hosts: { select: { host: true, kind: true }, orderBy: { host: 'asc' } } },
      orderBy: { id: 'asc' },
    });
    if (envs.length === 0) return [];
    const replicas = await (tx ?? this.prisma).replica.findMany({
      where: {
        state: 'HEALTHY',
        containerId: { not: null },
        hostPort: { not: null },
        OR: envs.map((e) => ({ environmentId: e.id, releaseId: e.liveReleaseId! })),
      },
      select: { environmentId: true, containerId: true, hostPort: true },
      orderBy: [{ environmentId: 'asc' }, { index: 'asc' }, { createdAt: 'asc' }],
    });
    // Listings have no foreign key to environments (their financial rows outlive a project): matched by id.
    const listings = await (tx ?? this.prisma).apiListing.findMany({
      where: { status: 'PUBLISHED', environmentId: { in: envs.map((e) => e.id) } },
      select: { id: true, slug: true, environmentId: true, sealedEdgeSecret: true, operations: true, billServerErrors: true },
      orderBy: { slug: 'asc' },
    });
    return envs.flatMap((e) => {
      const mine = replicas.filter((r) => r.environmentId === e.id).map((r) => ({ containerId: r.containerId!, hostPort: r.hostPort! }));
      const published = listings
        .filter((l) => l.environmentId === e.id)
        .map((l) => ({ listingId: l.id, slug: l.slug, sealedEdgeSecret: l.sealedEdgeSecret, operations: l.operations, billServerErrors: l.billServerErrors }));
      return mine.length === 0
        ? []
        : [
            {
              organizationId: e.organizationId,
              projectId: e.project.id,
              projectSlug: e.project.slug,
              appHosts: e.hosts.filter((h) => h.kind === 'APP').map((h) => h.host),
              customDomains: e.hosts.filter((h) => h.kind === 'DOMAIN').map((h) => h.host),
              environmentId: e.id,
              environmentName: e.name,
              releaseId: e.liveReleaseId!,
              replicas: mine,
              listings: published,
            },
          ];
    });
  }

  /** Runs `fn` holding a cluster-wide lock, so route tables are built and published one at a time. */
  async withRouteTableLock<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROUTE_TABLE_LOCK}::bigint)`;
        return fn(tx);
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  }

  private async lockEnvironment(scope: TenantScope, environmentId: string, tx: Tx): Promise<{ liveReleaseId: string | null } | null> {
    const rows = await tx.$queryRaw<{ liveReleaseId: string | null }[]>`
      SELECT "liveReleaseId" FROM "Environment" WHERE id = ${environmentId} AND "organizationId" = ${scope.organizationId} FOR UPDATE`;
    return rows[0] ?? null;
  }
}
