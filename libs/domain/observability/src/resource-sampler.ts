import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import {
  CONTAINER_METRICS,
  CONTAINER_RUNTIME,
  LABELS,
  type ContainerEvent,
  type ContainerMetrics,
  type ContainerRuntime,
  type ContainerStatsReading,
} from '@slipway/docker';
import { ExpiringHash, RedisService } from '@slipway/redis';
import { cpuPercentBetween, oomKilledDies } from './resource-math';
import { ResourcesStorageRepository, type ReplicaEventInput, type ResourceReadingInput } from './resources-storage.repository';

/** Overrides the Redis key prefix of the sampler's state (tests use one of their own). */
export const RESOURCES_STATE_KEY = Symbol('RESOURCES_STATE_KEY');

const DAY_MS = 86_400_000;
const PARTITION_DAYS_AHEAD = 2;
const MAINTENANCE_EVERY_MS = 60 * 60_000;
/** Events are read again this far before the cursor: an event the engine reported late is not missed (ids make re-reads harmless). */
const EVENTS_OVERLAP_MS = 5_000;
/** Without a cursor (first pass, or the cursor expired after a long stop) events are read this far back. */
const EVENTS_FIRST_LOOKBACK_MS = 60_000;
/** Events are read up to this long ago: the engine answers and closes at `until` only once it has passed. */
const EVENTS_UNTIL_LAG_MS = 1_000;

/**
 * Containers read at once. The engine answers a one-shot stats request at its collector's next
 * tick (up to a second later, whatever the load), so the wait is idle time, not work: reading 16
 * at once keeps a pass near a second for 30 containers (see docs/benchmarks.md) while bounding
 * the open requests.
 */
export const SAMPLE_CONCURRENCY = 16;

export interface SampleOptions {
  /** Containers read at once (SAMPLE_CONCURRENCY). */
  concurrency?: number;
  /** A container that does not answer within this is skipped for this pass. */
  timeoutMs?: number;
  /** Only containers carrying these labels as well (tests sample their own containers). */
  labels?: Record<string, string>;
}

export interface SampleResult {
  /** Running replica containers of this installation found (with a Replica row). */
  containers: number;
  /** Readings stored. */
  readings: number;
  /** Containers that did not answer in time or failed (logged); the rest of the pass went on. */
  failed: number;
  /** Lifecycle events stored for the first time. */
  events: number;
}

/**
 * One pass of the `resources-sample` job: one-shot Docker stats of every running replica
 * container (SAMPLE_CONCURRENCY at a time, each bounded by a timeout, so a slow container never holds up the
 * rest), CPU from the delta of the cumulative CPU time since the previous pass (the counters are
 * kept in Redis, so any worker can run the next pass), and the lifecycle events since the last
 * pass (a cursor in Redis). Never a loop in the api.
 */
@Injectable()
export class ResourceSampler {
  private readonly logger = new Logger('resources-sample');
  private readonly counters: ExpiringHash;
  private readonly cursor: ExpiringHash;
  private maintainedAt = -Infinity;

  constructor(
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(CONTAINER_METRICS) private readonly metrics: ContainerMetrics,
    @Inject(ResourcesStorageRepository) private readonly storage: ResourcesStorageRepository,
    @Inject(RedisService) redis: RedisService,
    @Inject(CONFIG)
    private readonly config: Pick<
      Config,
      'OBSERVABILITY_RAW_RETENTION_DAYS' | 'OBSERVABILITY_ROLLUP_RETENTION_DAYS' | 'RESOURCES_SAMPLE_SECONDS'
    >,
    @Optional() @Inject(RESOURCES_STATE_KEY) prefix?: string,
  ) {
    const key = prefix ?? 'slipway:resources';
    // Counters older than a few passes give a CPU average over a long gap: let them expire instead.
    this.counters = new ExpiringHash(redis, `${key}:cpu-counters`, Math.max(60, config.RESOURCES_SAMPLE_SECONDS * 6));
    this.cursor = new ExpiringHash(redis, `${key}:events-cursor`, 86_400);
  }

  async sample(options: SampleOptions = {}, now = new Date()): Promise<SampleResult> {
    if (now.getTime() - this.maintainedAt >= MAINTENANCE_EVERY_MS) await this.maintain(now);
    const labels = { [LABELS.managed]: '1', ...options.labels };
    const listed = (await this.runtime.listContainers(labels, { all: false })).filter(
      (c) => c.labels[LABELS.release] !== undefined && c.labels[LABELS.role] === undefined,
    );
    const known = await this.storage.knownReplicas(listed.map((c) => c.name));
    const containers = listed.filter((c) => known.has(c.name));
    const previous = await this.counters.readAll();
    const next: Record<string, string> = {};
    const readings: ResourceReadingInput[] = [];
    let failed = 0;
    await eachLimited(containers, options.concurrency ?? SAMPLE_CONCURRENCY, async (container) => {
      let reading: ContainerStatsReading | null;
      try {
        reading = await this.metrics.stats(container.id, { timeoutMs: options.timeoutMs ?? 2_000 });
      } catch (err) {
        failed++;
        this.logger.warn(`stats of ${container.name}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (!reading) return; // stopped or removed since the listing
      next[container.id] = `${reading.readAt.getTime()}:${reading.cpuTotalNs}`;
      readings.push({
        replica: container.name,
        sampledAt: reading.readAt,
        cpuPercent: cpuPercentBetween(previous[container.id], reading),
        memoryBytes: reading.memoryBytes,
      });
    });
    await this.counters.replaceAll(next);
    await this.storage.partitions.ensure(readings.map((r) => r.sampledAt));
    const stored = await this.storage.ingestReadings(readings);
    const events = await this.readEvents(labels, now);
    return { containers: containers.length, readings: stored, failed, events };
  }

  /** Partitions of today and the next two days; drops days past the raw retention; deletes old minute rows and events. */
  async maintain(now = new Date()): Promise<{ created: Date[]; dropped: Date[]; rowsDeleted: number }> {
    const cutoff = new Date(now.getTime() - this.config.OBSERVABILITY_RAW_RETENTION_DAYS * DAY_MS);
    const { created, dropped } = await this.storage.partitions.maintain(now, cutoff, PARTITION_DAYS_AHEAD);
    const rollupDays = Math.max(this.config.OBSERVABILITY_ROLLUP_RETENTION_DAYS, this.config.OBSERVABILITY_RAW_RETENTION_DAYS);
    const rowsDeleted = await this.storage.deleteBefore(new Date(now.getTime() - rollupDays * DAY_MS));
    this.maintainedAt = now.getTime();
    if (created.length || dropped.length || rowsDeleted) {
      const days = (list: Date[]) => list.map((d) => d.toISOString().slice(0, 10)).join(', ') || 'none';
      this.logger.log(
        `resource partitions created: ${days(created)}; dropped: ${days(dropped)}; minute rows and events deleted: ${rowsDeleted}`,
      );
    }
    return { created, dropped, rowsDeleted };
  }

  /** Events since the cursor (with a little overlap) up to just before now; the cursor moves only once they are stored. */
  private async readEvents(labels: Record<string, string>, now: Date): Promise<number> {
    const { until: last } = await this.cursor.readAll();
    const until = new Date(now.getTime() - EVENTS_UNTIL_LAG_MS);
    const since = last
      ? new Date(Math.max(Number(last) - EVENTS_OVERLAP_MS, until.getTime() - DAY_MS))
      : new Date(until.getTime() - EVENTS_FIRST_LOOKBACK_MS);
    if (!(since < until)) return 0;
    const events: ContainerEvent[] = await this.metrics.events({ since, until, labels, timeoutMs: 5_000 });
    const replicaEvents = events.filter((e) => e.labels[LABELS.release] !== undefined && e.labels[LABELS.role] === undefined);
    const oom = oomKilledDies(replicaEvents);
    const rows: ReplicaEventInput[] = replicaEvents.map((e) => ({
      id: `${e.containerId}:${e.timeNano}:${e.action}`,
      replica: e.name,
      at: e.at,
      action: e.action,
      exitCode: e.exitCode,
      oomKilled: e.action === 'oom' || oom.has(e),
    }));
    const stored = await this.storage.ingestEvents(rows);
    await this.cursor.replaceAll({ until: String(until.getTime()) });
    return stored;
  }
}


/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
