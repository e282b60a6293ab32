import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type DeploymentKind, type DeploymentStatus, type ReplicaState, type Tx } from '@slipway/db';

export interface NewDeployment {
  projectId: string;
  environmentId: string;
  releaseId: string;
  kind: DeploymentKind;
  createdById?: string | null;
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

export type FinalDeploymentStatus = Extract<DeploymentStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>;

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
      where: { organizationId: scope.organizationId, environmentId, status: { in: ['QUEUED', 'RUNNING'] } },
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
   * QUEUED → RUNNING, recording the release live at that moment. Refused (false) when the
   * deployment is not QUEUED any more or another deployment of the environment is RUNNING;
   * the environment row is locked so two workers cannot both pass the check.
   */
  async markRunning(scope: TenantScope, id: string, environmentId: string, now: Date, tx: Tx): Promise<'STARTED' | 'NOT_QUEUED' | 'BUSY'> {
    const env = await this.lockEnvironment(scope, environmentId, tx);
    if (!env) return 'NOT_QUEUED';
    const running = await tx.deployment.count({
      where: { organizationId: scope.organizationId, environmentId, status: 'RUNNING', id: { not: id } },
    });
    if (running > 0) return 'BUSY';
    const { count } = await tx.deployment.updateMany({
      where: { id, organizationId: scope.organizationId, status: 'QUEUED' },
      data: { status: 'RUNNING', startedAt: now, previousReleaseId: env.liveReleaseId },
    });
    return count === 1 ? 'STARTED' : 'NOT_QUEUED';
  }

  /** Only a QUEUED or RUNNING deployment finishes; false when it already had an outcome. */
  async finish(
    scope: TenantScope,
    id: string,
    data: { status: FinalDeploymentStatus; failureReason?: string | null; failedReplicaLogs?: string | null },
    tx?: Tx,
  ): Promise<boolean> {
    const { count } = await (tx ?? this.prisma).deployment.updateMany({
      where: { id, organizationId: scope.organizationId, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { ...data, finishedAt: new Date() },
    });
    return count === 1;
  }

  // ---- timeline -------------------------------------------------------------------------

  /** Events have no organization column: the deployment is checked under `scope` first. */
  async appendEvent(scope: TenantScope, deploymentId: string, entry: TimelineEntry, tx?: Tx) {
    const db = tx ?? this.prisma;
    const owned = await db.deployment.count({ where: { id: deploymentId, organizationId: scope.organizationId } });
    if (owned !== 1) return null;
    return db.deploymentEvent.create({
      data: { deploymentId, step: entry.step, message: entry.message, level: entry.level ?? 'info', ...(entry.at ? { at: entry.at } : {}) },
    });
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

  async createReplica(scope: TenantScope, data: NewReplica, tx?: Tx) {
    return (tx ?? this.prisma).replica.create({ data: { ...data, organizationId: scope.organizationId, state: 'STARTING' } });
  }

  async setReplicaContainer(
    scope: TenantScope,
    id: string,
    data: { containerId: string; hostPort: number | null },
    tx?: Tx,
  ): Promise<void> {
    await (tx ?? this.prisma).replica.updateMany({ where: { id, organizationId: scope.organizationId }, data });
  }

  async setReplicaState(
    scope: TenantScope,
    ids: string[],
    state: ReplicaState,
    extra: { lastExitCode?: number | null } = {},
    tx?: Tx,
  ): Promise<void> {
    if (ids.length === 0) return;
    await (tx ?? this.prisma).replica.updateMany({
      where: { id: { in: ids }, organizationId: scope.organizationId },
      data: { state, ...extra },
    });
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
    return envs.flatMap((e) => {
      const mine = replicas.filter((r) => r.environmentId === e.id).map((r) => ({ containerId: r.containerId!, hostPort: r.hostPort! }));
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
