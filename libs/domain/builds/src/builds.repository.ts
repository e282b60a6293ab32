import { Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@slipway/db';
import { ACTIVE_STATUSES, type FinalStatus, type TenantScope } from '@slipway/contracts';
import { SupersededAttemptError } from '@slipway/errors';

export interface NewBuild {
  projectId: string;
  environmentId: string;
  commitSha: string;
  branch: string;
  authorName: string;
  authorEmail: string;
  message: string;
}

export interface NewRelease {
  projectId: string;
  environmentId: string;
  buildId: string;
  imageId: string;
  commitSha: string;
  authorName: string;
  message: string;
  envVarVersions: Record<string, number>;
  slipwayConfig: Prisma.InputJsonValue;
  runtime: Prisma.InputJsonValue;
  /** The build plan as the push printed it: { rows: [{ label, value }], warnings } (contracts' buildPlanSchema). */
  buildPlan: Prisma.InputJsonValue;
}

/** What a build view shows beside the build row itself. */
const BUILD_VIEW = {
  environment: { select: { name: true } },
  release: { select: { number: true, deployments: { orderBy: { queuedAt: 'desc' }, take: 1, select: { id: true } } } },
} as const satisfies Prisma.BuildInclude;

export type BuildView = NonNullable<Awaited<ReturnType<BuildsRepository['findView']>>>;

/** Builds, their log lines and the releases they make. Tenant scope first, optional tx last. */
@Injectable()
export class BuildsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(scope: TenantScope, data: NewBuild, tx?: Tx) {
    return (tx ?? this.prisma).build.create({ data: { ...data, organizationId: scope.organizationId } });
  }

  async find(scope: TenantScope, id: string, tx?: Tx) {
    return (tx ?? this.prisma).build.findFirst({ where: { id, organizationId: scope.organizationId } });
  }

  /** The environments of a project that deploy pushes to `branch`. */
  async environmentsFollowing(scope: TenantScope, projectId: string, branch: string) {
    return this.prisma.environment.findMany({ where: { organizationId: scope.organizationId, projectId, branch }, select: { id: true, name: true }, orderBy: { createdAt: 'asc' } });
  }

  /** A build with what running it needs: its environment's settings and its project's slug. */
  async findForRun(scope: TenantScope, id: string) {
    return this.prisma.build.findFirst({
      where: { id, organizationId: scope.organizationId },
      include: { environment: { include: { project: { select: { id: true, slug: true } } } } },
    });
  }

  /**
   * Claims a build for one attempt: starts a QUEUED build, or restarts a RUNNING one (the queue
   * re-runs a job when its worker stopped holding it; the old attempt's log lines are dropped).
   * Either way the build's `attempt` is bumped and returned: every later write of this run is
   * conditional on it, so a copy still running the old attempt writes nothing more. BUSY while
   * another build of the same project runs; false when the build is final (cancelled, or
   * finished meanwhile).
   */
  async markRunning(scope: TenantScope, id: string, now: Date): Promise<{ start: 'STARTED' | 'RESTARTED'; attempt: number } | 'BUSY' | false> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.build.findFirst({ where: { id, organizationId: scope.organizationId, status: { in: [...ACTIVE_STATUSES] } }, select: { status: true, projectId: true } });
      if (!row) return false;
      // One build at a time per project: the project row lock serialises workers deciding this.
      await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${row.projectId} FOR UPDATE`;
      const other = await tx.build.count({ where: { projectId: row.projectId, status: 'RUNNING', id: { not: id } } });
      if (other > 0) return 'BUSY';
      // The row first: a stale attempt's log write waits for this lock, then finds it no longer owns the build.
      const claimed = await tx.build.updateManyAndReturn({
        where: { id, status: { in: [...ACTIVE_STATUSES] } },
        data: { status: 'RUNNING', startedAt: now, attempt: { increment: 1 } },
        select: { attempt: true },
      });
      if (!claimed[0]) return false;
      if (row.status === 'RUNNING') await tx.buildLogLine.deleteMany({ where: { buildId: id } });
      return { start: row.status === 'RUNNING' ? 'RESTARTED' : 'STARTED', attempt: claimed[0].attempt };
    });
  }

  /** Ends the build, if `attempt` still owns it and it is not final yet; false otherwise. */
  async finish(
    scope: TenantScope,
    id: string,
    attempt: number,
    data: { status: FinalStatus; failureReason?: string | null; imageId?: string | null; cacheKey?: string | null; reusedImage?: boolean },
    tx?: Tx,
  ): Promise<boolean> {
    const { count } = await (tx ?? this.prisma).build.updateMany({
      where: { id, organizationId: scope.organizationId, attempt, status: { in: [...ACTIVE_STATUSES] } },
      data: { ...data, finishedAt: new Date() },
    });
    return count === 1;
  }

  async setCacheKey(scope: TenantScope, id: string, attempt: number, cacheKey: string): Promise<void> {
    const { count } = await this.prisma.build.updateMany({ where: { id, organizationId: scope.organizationId, attempt }, data: { cacheKey } });
    if (count !== 1) throw new SupersededAttemptError(`build ${id}`, attempt);
  }

  /** The image of an earlier successful build of this project with the same cache key. */
  async imageForCacheKey(scope: TenantScope, projectId: string, cacheKey: string): Promise<string | null> {
    const hit = await this.prisma.build.findFirst({
      where: { organizationId: scope.organizationId, projectId, cacheKey, status: 'SUCCEEDED', imageId: { not: null } },
      orderBy: { finishedAt: 'desc' },
      select: { imageId: true },
    });
    return hit?.imageId ?? null;
  }

  /**
   * Stores log lines of one attempt. The build row is locked (FOR SHARE) in the same statement,
   * so a claim by a newer attempt either waits for these lines (and deletes them) or comes first
   * (and none are stored): a stale attempt never adds a line to the new attempt's log. A batch
   * whose answer was lost (a connection killed after the commit) can be sent again: lines
   * already stored are kept. Throws SupersededAttemptError when `attempt` no longer owns the build.
   */
  async appendLogLines(buildId: string, attempt: number, lines: { seq: number; line: string }[]): Promise<void> {
    if (!lines.length) return;
    const [owner] = await this.prisma.$queryRaw<{ owned: number }[]>`
      WITH owner AS (SELECT id FROM "Build" WHERE id = ${buildId} AND attempt = ${attempt} FOR SHARE),
      stored AS (
        INSERT INTO "BuildLogLine" ("buildId", seq, line)
        SELECT owner.id, l.seq, l.line FROM owner, unnest(${lines.map((l) => l.seq)}::int[], ${lines.map((l) => l.line)}::text[]) AS l(seq, line)
        ON CONFLICT ("buildId", seq) DO NOTHING
      )
      SELECT count(*)::int AS owned FROM owner`;
    if (!owner?.owned) throw new SupersededAttemptError(`build ${buildId}`, attempt);
  }

  async logLines(scope: TenantScope, buildId: string, afterSeq = -1) {
    return this.prisma.buildLogLine.findMany({
      where: { buildId, seq: { gt: afterSeq }, build: { organizationId: scope.organizationId } },
      orderBy: { seq: 'asc' },
      select: { seq: true, line: true, at: true },
    });
  }

  /** Release numbers count up per environment; the unique index settles a race. */
  async createRelease(scope: TenantScope, data: NewRelease, tx: Tx) {
    const last = await tx.release.findFirst({ where: { environmentId: data.environmentId }, orderBy: { number: 'desc' }, select: { number: true } });
    return tx.release.create({ data: { ...data, organizationId: scope.organizationId, number: (last?.number ?? 0) + 1 } });
  }

  async releaseOfBuild(scope: TenantScope, buildId: string) {
    return this.prisma.release.findFirst({ where: { buildId, organizationId: scope.organizationId } });
  }

  // ---- queries for the api and the console -------------------------------------------

  /** Builds of a project, newest first, with their environment's name, release and its newest deployment. */
  async listForProject(scope: TenantScope, projectId: string, take = 50) {
    return this.prisma.build.findMany({
      where: { organizationId: scope.organizationId, projectId },
      orderBy: { queuedAt: 'desc' },
      take,
      include: BUILD_VIEW,
    });
  }

  /** One build of a project, as listed. */
  async findView(scope: TenantScope, projectId: string, id: string) {
    return this.prisma.build.findFirst({ where: { id, projectId, organizationId: scope.organizationId }, include: BUILD_VIEW });
  }

  /** QUEUED → CANCELLED; false when the build had started or finished meanwhile. */
  async cancelQueued(scope: TenantScope, id: string, reason: string): Promise<boolean> {
    const { count } = await this.prisma.build.updateMany({
      where: { id, organizationId: scope.organizationId, status: 'QUEUED' },
      data: { status: 'CANCELLED', failureReason: reason, finishedAt: new Date() },
    });
    return count === 1;
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }
}
