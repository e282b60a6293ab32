import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { CONTAINER_RUNTIME, LABELS, type ContainerInfo, type ContainerRuntime } from '@slipway/docker';
import { RedisService } from '@slipway/redis';
import { SecretsService, createRedactor, type Redactor } from '@slipway/secrets';
import { fitBudget, lineBytes, newLines, prepareLine } from './log-batch';
import { LogCursorMovedError, LogsStorageRepository, type LogCursor, type LogLineInput, type LogRelease } from './logs-storage.repository';

const DAY_MS = 86_400_000;
/** Partitions exist for today and this many days ahead. */
const PARTITION_DAYS_AHEAD = 2;
/** Partitions, retention and old cursors are checked at most this often (and on a collector's first pass). */
const MAINTENANCE_EVERY_MS = 60 * 60_000;
/** Most lines stored per container per pass; the rest waits for the next pass (its cursor stops there). */
export const LOG_LINES_PER_PASS = 5_000;
/** Passes a flush before removal makes at most (a container that printed a lot just before it went). */
const FLUSH_PASSES = 20;
/** An exited container whose cursor moved this long after it finished has nothing new: not read again. */
const EXITED_SETTLE_MS = 5_000;
const BUDGET_KEY = (environmentId: string, minute: number) => `slipway:logs:budget:${environmentId}:${minute}`;

export type LogsSettings = Pick<Config, 'LOGS_RETENTION_DAYS' | 'LOGS_MAX_BYTES_PER_MINUTE' | 'LOGS_LINE_MAX_CHARS'>;

export interface LogsCollectResult {
  containers: number;
  /** Lines stored (notes about dropped lines included). */
  stored: number;
  /** Lines dropped by LOGS_MAX_BYTES_PER_MINUTE. */
  dropped: number;
  /** Containers whose lines could not be read or stored this pass (logged; the next pass tries again). */
  failed: number;
}

/**
 * Reads the new stdout/stderr lines of every replica container (label slipway.managed=1 with a
 * release; gateway relays excluded), running or exited, redacts the environment's secret values,
 * and stores them with their container's cursor in one transaction. Run as a scheduled worker
 * pass (`collect`) and, for one container, by deployments and the reconciler right before they
 * remove it (`flushContainer`), so a replica that crashed at start keeps its last lines.
 */
@Injectable()
export class LogsCollector {
  private readonly logger = new Logger('logs-collector');
  private maintainedAt = -Infinity;

  constructor(
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(LogsStorageRepository) private readonly storage: LogsStorageRepository,
    @Inject(RedisService) private readonly redis: RedisService,
    @Inject(SecretsService) private readonly secrets: Pick<SecretsService, 'secretValues'>,
    @Inject(CONFIG) private readonly config: LogsSettings,
  ) {}

  /** One pass over every replica container of this installation. */
  async collect(now = new Date()): Promise<LogsCollectResult> {
    if (now.getTime() - this.maintainedAt >= MAINTENANCE_EVERY_MS) await this.maintain(now);
    const containers = (await this.runtime.listContainers({ [LABELS.managed]: '1' }, { all: true })).filter(isReplica);
    const cursors = await this.storage.cursors(containers.map((c) => c.id));
    const releases = await this.storage.releases([...new Set(containers.map((c) => c.labels[LABELS.release]!))]);
    const redactors = new Map<string, Promise<Redactor>>();
    const result: LogsCollectResult = { containers: 0, stored: 0, dropped: 0, failed: 0 };
    for (const container of containers) {
      const cursor = cursors.get(container.id);
      if (settled(container, cursor)) continue;
      const release = releases.get(container.labels[LABELS.release]!);
      if (!release || release.environmentId !== container.labels[LABELS.environment]) continue; // not ours to attribute
      result.containers++;
      try {
        const { stored, dropped } = await this.collectOne(container, release, cursor, redactors, now);
        result.stored += stored;
        result.dropped += dropped;
      } catch (err) {
        result.failed++;
        if (!(err instanceof LogCursorMovedError))
          this.logger.warn(`logs of container ${container.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return result;
  }

  /**
   * Stores the remaining lines of one container (id or name) before it is removed. Never throws:
   * removal goes on whatever happens here (the lines are then lost, and that is logged).
   */
  async flushContainer(ref: string, now = new Date()): Promise<void> {
    try {
      const container = await this.runtime.getContainer(ref);
      if (!container || !isReplica(container)) return;
      if (!this.storage.partitions.ready) await this.maintain(now);
      const release = (await this.storage.releases([container.labels[LABELS.release]!])).get(container.labels[LABELS.release]!);
      if (!release || release.environmentId !== container.labels[LABELS.environment]) return;
      // A scheduled pass may store the same lines meanwhile: the cursor's compare-and-set lets one
      // win; then read again. Bounded: FLUSH_PASSES × LOG_LINES_PER_PASS lines at most.
      for (let attempt = 0; attempt < FLUSH_PASSES; attempt++) {
        const cursor = (await this.storage.cursors([container.id])).get(container.id);
        try {
          const { more } = await this.collectOne(container, release, cursor, new Map(), now);
          if (!more) return;
        } catch (err) {
          if (!(err instanceof LogCursorMovedError)) throw err;
        }
      }
    } catch (err) {
      this.logger.warn(
        `the last log lines of container ${ref} could not be stored before its removal: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * Creates the partitions of today and the next PARTITION_DAYS_AHEAD days, drops the days
   * wholly older than LOGS_RETENTION_DAYS, and forgets cursors idle for longer than that.
   */
  async maintain(now = new Date()): Promise<{ created: Date[]; dropped: Date[] }> {
    const cutoff = new Date(this.cutoff(now));
    const { created, dropped } = await this.storage.partitions.maintain(now, cutoff, PARTITION_DAYS_AHEAD);
    await this.storage.deleteCursorsBefore(cutoff);
    this.maintainedAt = now.getTime();
    if (created.length || dropped.length) {
      const days = (list: Date[]) => list.map((d) => d.toISOString().slice(0, 10)).join(', ') || 'none';
      this.logger.log(`log partitions created: ${days(created)}; dropped: ${days(dropped)}`);
    }
    return { created, dropped };
  }

  private cutoff(now: Date): number {
    return now.getTime() - this.config.LOGS_RETENTION_DAYS * DAY_MS;
  }

  private async collectOne(
    container: ContainerInfo,
    release: LogRelease,
    cursor: LogCursor | undefined,
    redactors: Map<string, Promise<Redactor>>,
    now: Date,
  ): Promise<{ stored: number; dropped: number; more: boolean }> {
    const read = await this.runtime.readLogs(container.id, { since: cursor?.lastTimestamp });
    const fresh = newLines(read, cursor, LOG_LINES_PER_PASS);
    if (!fresh.next || fresh.lines.length === 0) {
      // An exited container with nothing new: the cursor's time moves (one is made for a container
      // that never wrote a line), so `settled` skips it from now on.
      if (container.state === 'exited' || container.state === 'dead') {
        const next = cursor ?? { lastTimestamp: (container.finishedAt ?? now).toISOString(), linesAtLast: 0 };
        await this.storage.store(container.id, release, container.name, [], cursor, { ...next, complete: true });
      }
      return { stored: 0, dropped: 0, more: false };
    }
    let redactor = redactors.get(release.environmentId);
    if (!redactor) {
      redactor = this.secrets.secretValues({ organizationId: release.organizationId }, release.environmentId).then(createRedactor);
      redactors.set(release.environmentId, redactor);
    }
    const redact = await redactor;
    const cutoff = this.cutoff(now);
    const prepared = fresh.lines
      .filter((l) => Date.parse(l.timestamp) >= cutoff)
      .map((l) => prepareLine(l, redact, this.config.LOGS_LINE_MAX_CHARS));
    const { lines, dropped } = await this.withinBudget(release.environmentId, prepared, now);
    await this.storage.partitions.ensure(lines.map((l) => new Date(Date.parse(l.at))));
    const stored = await this.storage.store(container.id, release, container.name, lines, cursor, { ...fresh.next, complete: !fresh.more });
    return { stored, dropped, more: fresh.more };
  }

  /**
   * Charges the lines to their environment's budget for this minute (Redis, shared by every
   * worker) and keeps those that fit, plus a line saying what was dropped. A batch that is not
   * stored after all (a moved cursor) stays charged: the budget errs on the side of storing less.
   */
  private async withinBudget(environmentId: string, lines: LogLineInput[], now: Date): Promise<{ lines: LogLineInput[]; dropped: number }> {
    if (lines.length === 0) return { lines, dropped: 0 };
    const bytes = lines.reduce((sum, l) => sum + lineBytes(l), 0);
    const key = BUDGET_KEY(environmentId, Math.floor(now.getTime() / 60_000));
    const [[, total]] = (await this.redis.client.multi().incrby(key, bytes).expire(key, 120).exec()) as [[unknown, number]];
    const max = this.config.LOGS_MAX_BYTES_PER_MINUTE;
    if (total <= max) return { lines, dropped: 0 };
    const kept = fitBudget(lines, Math.max(0, max - (total - bytes)), max);
    return { lines: kept, dropped: lines.length - (kept.length - 1) };
  }
}

/** A replica of an app: Slipway's, with a release; not a gateway relay (nor any other role). */
function isReplica(c: ContainerInfo): boolean {
  return Boolean(c.labels[LABELS.release] && c.labels[LABELS.environment] && !c.labels[LABELS.role]);
}

/** An exited container whose lines were all read after it finished (a pass that stored all it read, after the exit). */
function settled(c: ContainerInfo, cursor: LogCursor | undefined): boolean {
  if (c.state === 'running' || c.state === 'restarting' || !cursor?.complete || !c.finishedAt) return false;
  return cursor.updatedAt.getTime() > c.finishedAt.getTime() + EXITED_SETTLE_MS;
}
