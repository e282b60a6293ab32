import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { EnvironmentResourcesDto, MarkerDto, RangeQuery, TenantScope } from '@slipway/contracts';
import { planPoints, type PointPlan } from './point-plan';
import { ResourcesRepository, type ReplicaEventRow, type ResourceAverages, type ResourceSlotRow } from './resources.repository';
import { resolveRange } from './time-range';

/** Most replica markers one range returns (a crash-looping replica restarts every few seconds). */
export const REPLICA_MARKERS_MAX = 500;

const DAY_MS = 86_400_000;

/** CPU and memory per replica against its limits, restart and OOM-kill markers, and per-release means (for verdicts). */
@Injectable()
export class ResourcesService {
  constructor(
    @Inject(ResourcesRepository) private readonly repository: ResourcesRepository,
    @Inject(CONFIG) private readonly config: Pick<Config, 'OBSERVABILITY_RAW_RETENTION_DAYS'>,
  ) {}

  /** `environmentId` must come from a tenant-checked lookup; the repository filters by the scope again. */
  async environmentResources(
    scope: TenantScope,
    environmentId: string,
    query: RangeQuery,
    now = new Date(),
  ): Promise<EnvironmentResourcesDto> {
    const { from, to } = resolveRange(query, now);
    // Readings come every few seconds; the raw plan's 10 s slots average two or so. Hour plans read the minute rollup (no hour table).
    const plan = planPoints({ from, to, points: query.points, now, rawRetentionDays: this.config.OBSERVABILITY_RAW_RETENTION_DAYS });
    const rows = await this.repository.series(scope, environmentId, plan);
    const byReplica = new Map<string, ResourceSlotRow[]>();
    for (const row of rows) {
      if (row.slot < 0 || row.slot >= plan.slots) continue;
      let list = byReplica.get(row.replica);
      if (!list) byReplica.set(row.replica, (list = []));
      list.push(row);
    }
    const numbers = await this.repository.releaseNumbers(scope, [...new Set(rows.map((r) => r.releaseId))]);
    const replicas = [...byReplica].map(([replica, list]) => replicaSeries(replica, list, numbers, plan));
    // Oldest release first, then by replica index.
    replicas.sort(
      (a, b) => (a.releaseNumber ?? Infinity) - (b.releaseNumber ?? Infinity) || a.index - b.index || a.replica.localeCompare(b.replica),
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      stepSeconds: plan.stepSeconds,
      time: Array.from({ length: plan.slots }, (_, i) => plan.start + i * plan.stepSeconds),
      replicas,
    };
  }

  /**
   * Restart and OOM-kill markers of the environment's replicas in [from, to), oldest first (at
   * most REPLICA_MARKERS_MAX): a `restart` where a replica's container started again after it
   * died (the reconciler restarts crashed replicas), an `oom-kill` where the kernel's OOM killer
   * stopped its process. The markers endpoint merges these with the deploy markers.
   */
  async listReplicaMarkers(scope: TenantScope, environmentId: string, from: Date, to: Date): Promise<MarkerDto[]> {
    const rows = await this.repository.markerEvents(scope, environmentId, from, to, REPLICA_MARKERS_MAX * 4);
    const markers: MarkerDto[] = [];
    for (const row of rows) {
      const marker = markerOf(row);
      if (marker) markers.push(marker);
      if (markers.length >= REPLICA_MARKERS_MAX) break;
    }
    return markers;
  }

  /**
   * Mean CPU (% of one core) and memory per replica reading of one release over [from, to):
   * from the raw readings while they are kept, else from the minute rollup. For the release
   * verdict (internal: the release id is never a request's input).
   */
  async releaseResourceAverages(releaseId: string, from: Date, to: Date, now = new Date()): Promise<ResourceAverages> {
    const raw = from.getTime() >= now.getTime() - this.config.OBSERVABILITY_RAW_RETENTION_DAYS * DAY_MS;
    return this.repository.releaseAverages(releaseId, from, to, raw);
  }
}

const round = (n: number | null, digits: number) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

function replicaSeries(replica: string, rows: readonly ResourceSlotRow[], numbers: Map<string, number>, plan: PointPlan) {
  const cpuPercent = new Array<number | null>(plan.slots).fill(null);
  const memoryBytes = new Array<number | null>(plan.slots).fill(null);
  let latest = rows[0]!;
  for (const row of rows) {
    cpuPercent[row.slot] = round(row.cpuPercent === null ? null : Number(row.cpuPercent), 2);
    memoryBytes[row.slot] = row.memoryBytes === null ? null : Math.round(Number(row.memoryBytes));
    if (row.slot > latest.slot) latest = row;
  }
  return {
    replica,
    releaseId: latest.releaseId,
    releaseNumber: numbers.get(latest.releaseId) ?? null,
    index: latest.replicaIndex,
    cpuPercent,
    memoryBytes,
    // 1000 millicores = one core = 100 %.
    cpuLimitPercent: latest.cpuLimitMillis / 10,
    memoryLimitBytes: Number(latest.memoryLimitBytes),
  };
}

/** Why a replica's process ended, in words. */
export function exitReason(exitCode: number | null, oomKilled: boolean): string {
  if (oomKilled) return `killed by the kernel's OOM killer (out of memory${exitCode !== null ? `, exit code ${exitCode}` : ''})`;
  if (exitCode === null) return 'exited';
  if (exitCode === 137) return 'killed (SIGKILL, exit code 137)';
  if (exitCode === 143) return 'terminated (SIGTERM, exit code 143)';
  return `exited with code ${exitCode}`;
}

function markerOf(row: ReplicaEventRow): MarkerDto | null {
  const base = {
    at: new Date(row.at).toISOString(),
    releaseId: row.releaseId,
    releaseNumber: row.number,
    commitSha: row.commitSha,
    authorName: row.authorName,
    message: row.message,
    deploymentId: null,
    replicaIndex: row.replicaIndex,
    verdict: null,
  };
  if (row.action === 'oom')
    return {
      ...base,
      kind: 'oom-kill',
      reason: `replica ${row.replicaIndex} ran out of memory: the kernel's OOM killer stopped a process`,
    };
  if (row.action === 'start' && row.previousAction === 'die')
    return {
      ...base,
      kind: 'restart',
      reason: `replica ${row.replicaIndex} restarted after it ${exitReason(row.previousExitCode, row.previousOomKilled === true)}`,
    };
  return null; // a first start (deploy) is the deploy marker's
}
