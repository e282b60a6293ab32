import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type Prisma } from '@slipway/db';
import { HISTOGRAM_LENGTH } from './histogram';
import type { ComparedMeasure } from './verdict-rule';

/** A successful deploy whose release may still need a verdict (the job's work list). */
export interface WatchedDeploy {
  organizationId: string;
  environmentId: string;
  releaseId: string;
  releaseNumber: number;
  previousReleaseId: string | null;
  previousReleaseNumber: number | null;
  liveAt: Date;
  environmentAutoRollback: boolean;
  environmentLiveReleaseId: string | null;
  /** `project/environment`, for audit entries and logs. */
  environmentPath: string;
}

export interface StoredVerdict {
  releaseId: string;
  organizationId: string;
  environmentId: string;
  previousReleaseId: string | null;
  status: string;
  summary: string;
  measures: ComparedMeasure[];
  liveAt: Date;
  windowEndsAt: Date;
  evaluatedAt: Date;
  autoRolledBackAt: Date | null;
}

/** Sums of one release over one window, as the database returns them. */
export interface WindowRow {
  requests: bigint;
  status4xx: bigint;
  status5xx: bigint;
  latencyCounts: bigint[];
}

const sumCounts = `ARRAY[${Array.from({ length: HISTOGRAM_LENGTH }, (_, i) => `coalesce(sum("latencyCounts"[${i + 1}]), 0)::int8`).join(', ')}]`;

// Raw samples (one per edge flush, ~10 s): a watch window is minutes long, rollups would blur its edges.
const windowSql = `
SELECT coalesce(sum(requests), 0)::int8 AS requests, coalesce(sum("status4xx"), 0)::int8 AS "status4xx",
  coalesce(sum("status5xx"), 0)::int8 AS "status5xx", ${sumCounts} AS "latencyCounts"
FROM "AppTrafficSample"
WHERE "organizationId" = $1 AND "environmentId" = $2 AND "releaseId" = $3 AND "windowStart" >= to_timestamp($4::float8) AT TIME ZONE 'UTC' AND "windowStart" < to_timestamp($5::float8) AT TIME ZONE 'UTC'`;

/**
 * Verdicts and the traffic they are computed from. Tenant scope first everywhere except
 * `watchedDeploys`, the job's deliberate cross-tenant list (it judges every organization's releases).
 */
@Injectable()
export class ReleaseVerdictsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Successful DEPLOYs that went live since `since` (rollbacks and redeploys put live a release
   * already judged), newest first, at most 1,000 a pass (far more deploys than a window sees).
   */
  async watchedDeploys(since: Date): Promise<WatchedDeploy[]> {
    const rows = await this.prisma.deployment.findMany({
      where: { kind: 'DEPLOY', status: 'SUCCEEDED', finishedAt: { gte: since } },
      orderBy: { finishedAt: 'desc' },
      take: 1_000,
      select: {
        organizationId: true,
        environmentId: true,
        releaseId: true,
        previousReleaseId: true,
        finishedAt: true,
        release: { select: { number: true } },
        environment: { select: { autoRollback: true, liveReleaseId: true, name: true, project: { select: { slug: true } } } },
      },
    });
    const previousIds = [...new Set(rows.map((r) => r.previousReleaseId).filter((id): id is string => !!id))];
    const previous = previousIds.length
      ? new Map((await this.prisma.release.findMany({ where: { id: { in: previousIds } }, select: { id: true, number: true } })).map((r) => [r.id, r.number]))
      : new Map<string, number>();
    return rows
      // A deploy of the release that was already live (nothing replaced) has nothing to compare with.
      .filter((r) => r.previousReleaseId !== r.releaseId)
      .map((r) => ({
        organizationId: r.organizationId,
        environmentId: r.environmentId,
        releaseId: r.releaseId,
        releaseNumber: r.release.number,
        previousReleaseId: r.previousReleaseId,
        previousReleaseNumber: r.previousReleaseId ? (previous.get(r.previousReleaseId) ?? null) : null,
        liveAt: r.finishedAt!,
        environmentAutoRollback: r.environment.autoRollback,
        environmentLiveReleaseId: r.environment.liveReleaseId,
        environmentPath: `${r.environment.project.slug}/${r.environment.name}`,
      }));
  }

  /** The latest successful DEPLOY of one release of the environment (what the api judges on demand). */
  async latestDeployOf(scope: TenantScope, environmentId: string, releaseId: string): Promise<WatchedDeploy | null> {
    const row = await this.prisma.deployment.findFirst({
      where: { organizationId: scope.organizationId, environmentId, releaseId, kind: 'DEPLOY', status: 'SUCCEEDED' },
      orderBy: { finishedAt: 'desc' },
      select: {
        organizationId: true,
        environmentId: true,
        releaseId: true,
        previousReleaseId: true,
        finishedAt: true,
        release: { select: { number: true } },
        environment: { select: { autoRollback: true, liveReleaseId: true, name: true, project: { select: { slug: true } } } },
      },
    });
    if (!row || !row.finishedAt) return null;
    const previous = row.previousReleaseId
      ? await this.prisma.release.findFirst({ where: { organizationId: scope.organizationId, id: row.previousReleaseId }, select: { number: true } })
      : null;
    return {
      organizationId: row.organizationId,
      environmentId: row.environmentId,
      releaseId: row.releaseId,
      releaseNumber: row.release.number,
      previousReleaseId: row.previousReleaseId === row.releaseId ? null : row.previousReleaseId,
      previousReleaseNumber: row.previousReleaseId === row.releaseId ? null : (previous?.number ?? null),
      liveAt: row.finishedAt,
      environmentAutoRollback: row.environment.autoRollback,
      environmentLiveReleaseId: row.environment.liveReleaseId,
      environmentPath: `${row.environment.project.slug}/${row.environment.name}`,
    };
  }

  async release(scope: TenantScope, environmentId: string, releaseId: string): Promise<{ id: string; number: number } | null> {
    return this.prisma.release.findFirst({ where: { organizationId: scope.organizationId, environmentId, id: releaseId }, select: { id: true, number: true } });
  }

  /** One release's requests, status counts and merged histogram over [from, to). */
  async window(scope: TenantScope, environmentId: string, releaseId: string, from: Date, to: Date): Promise<WindowRow> {
    const [row] = await this.prisma.$queryRawUnsafe<WindowRow[]>(windowSql, scope.organizationId, environmentId, releaseId, from.getTime() / 1000, to.getTime() / 1000);
    return row!;
  }

  /** Gateway cost attributed to the release over the minutes overlapping [from, to). */
  async modelCostMicros(scope: TenantScope, environmentId: string, releaseId: string, from: Date, to: Date): Promise<number> {
    const minuteStart = new Date(Math.floor(from.getTime() / 60_000) * 60_000);
    const sum = await this.prisma.gatewayUsageMinute.aggregate({
      where: { organizationId: scope.organizationId, environmentId, releaseId, minute: { gte: minuteStart, lt: to } },
      _sum: { costMicros: true },
    });
    return Number(sum._sum.costMicros ?? 0n);
  }

  async find(scope: TenantScope, releaseId: string): Promise<StoredVerdict | null> {
    const row = await this.prisma.releaseVerdict.findFirst({ where: { organizationId: scope.organizationId, releaseId } });
    return row && toStored(row);
  }

  /** Verdicts of releases by id, within the tenant. */
  async findMany(scope: TenantScope, releaseIds: readonly string[]): Promise<Map<string, StoredVerdict>> {
    if (releaseIds.length === 0) return new Map();
    const rows = await this.prisma.releaseVerdict.findMany({ where: { organizationId: scope.organizationId, releaseId: { in: [...releaseIds] } } });
    return new Map(rows.map((r) => [r.releaseId, toStored(r)]));
  }

  /** Verdicts of the job's work list in one query (cross-tenant, as `watchedDeploys`). */
  async findForJob(releaseIds: readonly string[]): Promise<Map<string, StoredVerdict>> {
    if (releaseIds.length === 0) return new Map();
    const rows = await this.prisma.releaseVerdict.findMany({ where: { releaseId: { in: [...releaseIds] } } });
    return new Map(rows.map((r) => [r.releaseId, toStored(r)]));
  }

  async save(v: Omit<StoredVerdict, 'autoRolledBackAt'>): Promise<StoredVerdict> {
    const data = {
      organizationId: v.organizationId,
      environmentId: v.environmentId,
      previousReleaseId: v.previousReleaseId,
      status: v.status,
      summary: v.summary,
      measures: v.measures as unknown as Prisma.InputJsonValue,
      liveAt: v.liveAt,
      windowEndsAt: v.windowEndsAt,
      evaluatedAt: v.evaluatedAt,
    };
    const row = await this.prisma.releaseVerdict.upsert({ where: { releaseId: v.releaseId }, create: { releaseId: v.releaseId, ...data }, update: data });
    return toStored(row);
  }

  /**
   * Marks the verdict as having rolled its environment back; true only for the one caller that
   * set it (a conditional update), so two workers or two passes never roll back twice.
   */
  async claimAutoRollback(scope: TenantScope, releaseId: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.releaseVerdict.updateMany({
      where: { organizationId: scope.organizationId, releaseId, status: 'faulty', autoRolledBackAt: null },
      data: { autoRolledBackAt: at },
    });
    return count === 1;
  }

  /** Gives a claim back when the rollback could not even be queued (the platform's fault, tried again next pass). */
  async releaseAutoRollbackClaim(scope: TenantScope, releaseId: string): Promise<void> {
    await this.prisma.releaseVerdict.updateMany({ where: { organizationId: scope.organizationId, releaseId }, data: { autoRolledBackAt: null } });
  }
}

function toStored(row: {
  releaseId: string;
  organizationId: string;
  environmentId: string;
  previousReleaseId: string | null;
  status: string;
  summary: string;
  measures: unknown;
  liveAt: Date;
  windowEndsAt: Date;
  evaluatedAt: Date;
  autoRolledBackAt: Date | null;
}): StoredVerdict {
  return { ...row, measures: (Array.isArray(row.measures) ? row.measures : []) as ComparedMeasure[] };
}
