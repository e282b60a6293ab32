import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { EDGE_METRICS_GROUP, EDGE_METRICS_STREAM } from '@slipway/contracts';
import { RedisService, StreamGroupReader, type StreamEntry } from '@slipway/redis';
import { parseSampleEntry } from './sample-entry';
import { utcDay } from './day-partitioned-table';
import { TrafficStorageRepository, type SampleInput } from './traffic-storage.repository';

/** Overrides the stream the collector reads (tests use one of their own). */
export const TRAFFIC_STREAM_KEY = Symbol('TRAFFIC_STREAM_KEY');

const DAY_MS = 86_400_000;
/** Partitions exist for today and this many days ahead. */
export const PARTITION_DAYS_AHEAD = 2;
/** Partitions and retention are checked at most this often (and on a collector's first pass). */
const MAINTENANCE_EVERY_MS = 60 * 60_000;
/** One reader name for every worker: the scheduler runs one pass at a time, and a pass re-reads what a crashed one left pending. */
const CONSUMER = 'collector';

export interface CollectOptions {
  /** Entries per read, one Postgres statement each. */
  batch?: number;
  /** Most entries one pass handles, so a pass stays bounded after a long outage; the rest waits for the next pass. */
  maxEntries?: number;
  /** Entries another reader (an older worker's name) has held unacknowledged this long are taken over. */
  claimIdleMs?: number;
}

export interface CollectResult {
  /** Entries read and acknowledged. */
  read: number;
  /** Samples stored for the first time. */
  written: number;
  /** Entries that could not be stored (malformed, outside the days kept, refused by the database), acknowledged anyway. Samples of releases that no longer exist are dropped silently. */
  skipped: number;
  /** Entries deleted from the stream after they were acknowledged. */
  trimmed: number;
}

export interface MaintenanceResult {
  created: Date[];
  dropped: Date[];
  rollupRowsDeleted: number;
}

/**
 * Moves the edge's per-release samples from the Redis stream into PostgreSQL (samples and their
 * minute and hour rollups in one statement), then acknowledges them and trims what the group
 * acknowledged. Run as a scheduled worker pass (`collect`), never as a loop in the api.
 * Exactly once in effect: an entry is acked only after its statement committed, and a
 * redelivered entry inserts and adds nothing (its stream id is unique in the samples table).
 */
@Injectable()
export class TrafficCollector implements OnModuleDestroy {
  private readonly logger = new Logger('traffic-collector');
  private readonly reader: StreamGroupReader;
  private maintainedAt = -Infinity;

  constructor(
    @Inject(RedisService) redis: RedisService,
    @Inject(TrafficStorageRepository) private readonly storage: TrafficStorageRepository,
    @Inject(CONFIG) private readonly config: Pick<Config, 'OBSERVABILITY_RAW_RETENTION_DAYS' | 'OBSERVABILITY_ROLLUP_RETENTION_DAYS'>,
    @Optional() @Inject(TRAFFIC_STREAM_KEY) stream?: string,
  ) {
    this.reader = new StreamGroupReader(redis, { stream: stream ?? EDGE_METRICS_STREAM, group: EDGE_METRICS_GROUP, consumer: CONSUMER });
  }

  /**
   * One pass: retention if due; then what this reader left pending (a crashed pass), what other
   * readers left pending for `claimIdleMs`, and new entries, up to `maxEntries`; then the trim.
   */
  async collect(options: CollectOptions = {}, now = new Date()): Promise<CollectResult> {
    const batch = options.batch ?? 500;
    const maxEntries = options.maxEntries ?? 20_000;
    await this.reader.ensureGroup();
    if (now.getTime() - this.maintainedAt >= MAINTENANCE_EVERY_MS) await this.maintain(now);
    const result: CollectResult = { read: 0, written: 0, skipped: 0, trimmed: 0 };
    const claimIdleMs = options.claimIdleMs ?? 60_000;
    for (const source of ['own', 'claimed', 'new'] as const) {
      while (result.read < maxEntries) {
        const count = Math.min(batch, maxEntries - result.read);
        const entries =
          source === 'claimed'
            ? await this.reader.claimIdle(claimIdleMs, count)
            : await this.reader.read({ pending: source === 'own', count, blockMs: 0 });
        if (entries.length === 0) break;
        const { written, skipped } = await this.process(entries, now);
        result.read += entries.length;
        result.written += written;
        result.skipped += skipped;
      }
    }
    result.trimmed = await this.reader.trimAcknowledged();
    return result;
  }

  /**
   * Creates the partitions of today and the next PARTITION_DAYS_AHEAD days, drops the days
   * wholly older than OBSERVABILITY_RAW_RETENTION_DAYS, and deletes rollups older than
   * OBSERVABILITY_ROLLUP_RETENTION_DAYS (never less than the raw retention).
   */
  async maintain(now = new Date()): Promise<MaintenanceResult> {
    const { created, dropped } = await this.storage.partitions.maintain(now, new Date(this.rawCutoff(now)), PARTITION_DAYS_AHEAD);
    const rollupDays = Math.max(this.config.OBSERVABILITY_ROLLUP_RETENTION_DAYS, this.config.OBSERVABILITY_RAW_RETENTION_DAYS);
    const rollupRowsDeleted = await this.storage.deleteRollupsBefore(new Date(now.getTime() - rollupDays * DAY_MS));
    this.maintainedAt = now.getTime();
    if (created.length || dropped.length || rollupRowsDeleted) {
      const days = (list: Date[]) => list.map((d) => d.toISOString().slice(0, 10)).join(', ') || 'none';
      this.logger.log(`traffic partitions created: ${days(created)}; dropped: ${days(dropped)}; rollup rows deleted: ${rollupRowsDeleted}`);
    }
    return { created, dropped, rollupRowsDeleted };
  }

  async onModuleDestroy(): Promise<void> {
    this.reader.close();
  }

  /** Samples before this would land in a partition retention drops: they are not stored. */
  private rawCutoff(now: Date): number {
    return now.getTime() - this.config.OBSERVABILITY_RAW_RETENTION_DAYS * DAY_MS;
  }

  private async process(entries: readonly StreamEntry[], now: Date): Promise<{ written: number; skipped: number }> {
    const samples: SampleInput[] = [];
    let skipped = 0;
    const oldest = utcDay(new Date(this.rawCutoff(now))).getTime();
    const newest = utcDay(now).getTime() + PARTITION_DAYS_AHEAD * DAY_MS;
    for (const entry of entries) {
      const parsed = parseSampleEntry(entry);
      const day = parsed.sample ? utcDay(parsed.sample.windowStart).getTime() : 0;
      const problem =
        parsed.problem ??
        (day < oldest || day > newest ? `window start ${parsed.sample!.windowStart.toISOString()} is outside the days kept` : undefined);
      if (problem) {
        skipped++;
        this.logger.warn(`skipping edge metrics entry ${entry.id}: ${problem}`);
      } else samples.push(parsed.sample!);
    }
    await this.storage.partitions.ensure(samples.map((s) => s.windowStart));
    const { inserted, refused } = await this.write(samples);
    await this.reader.ack(entries.map((e) => e.id));
    return { written: inserted, skipped: skipped + refused };
  }

  /**
   * Postgres away: throw (nothing is acked; the next pass reads the batch again). A batch the
   * database refuses while it answers: sample by sample, dropping only the refused ones.
   */
  private async write(samples: readonly SampleInput[]): Promise<{ inserted: number; refused: number }> {
    if (samples.length === 0) return { inserted: 0, refused: 0 };
    try {
      return { inserted: await this.storage.ingest(samples), refused: 0 };
    } catch (err) {
      if (!(await this.storage.reachable())) throw err;
    }
    let inserted = 0;
    let refused = 0;
    for (const sample of samples) {
      try {
        inserted += await this.storage.ingest([sample]);
      } catch (err) {
        if (!(await this.storage.reachable())) throw err;
        refused++;
        this.logger.warn(
          `dropping edge metrics entry ${sample.streamId} the database refused: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return { inserted, refused };
  }
}
