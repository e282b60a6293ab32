import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MARKETPLACE_USAGE_STREAM, type MarketplaceUsageEvent } from '@slipway/contracts';
import { RedisService, StreamConsumerLoop, marketplaceUsageReader, type StreamEntry, type StreamGroupReader } from '@slipway/redis';
import { parseMarketplaceUsageEntry } from './usage-event-entry';
import { UsageIngestRepository, type StorableUsageEvent } from './usage-ingest.repository';

/** Injection token: the stream to read (tests and the benchmark use their own). Default MARKETPLACE_USAGE_STREAM. */
export const MARKETPLACE_USAGE_STREAM_KEY = Symbol('MARKETPLACE_USAGE_STREAM_KEY');

export interface UsageIngestOptions {
  /** This worker's name in the group; stable across restarts so it takes its own pending batch back at once. */
  consumer: string;
  stream: string;
  /** Stream entries per read (one transaction each). The edge puts up to a few hundred events in one entry. */
  count: number;
  blockMs: number;
  /** Entries another consumer has held unacked this long are taken over (its worker died). */
  claimIdleMs: number;
}

export interface IngestCounts {
  entries: number;
  inserted: number;
  duplicates: number;
  late: number;
  invalid: number;
}

const DEFAULTS = { count: 200, blockMs: 1_000, claimIdleMs: 60_000 };
/** Listings known to the cache; it is cleared when full (a listing's publisher never changes, so a miss only costs a lookup). */
const PUBLISHER_CACHE_MAX = 10_000;

/**
 * The meter (`api-usage-ingest`): usage events from the edge's stream into ApiUsageEvent,
 * exactly once. A batch is written in one transaction keyed by the edge's event ids and
 * acknowledged only after the commit, so a batch delivered again (the worker died between the
 * commit and XACK, and another consumer claimed it) inserts nothing. An event that can never be
 * stored (invalid, unknown listing) is logged and acknowledged: it never blocks the stream.
 * Acknowledged entries are trimmed; unacknowledged ones never are.
 */
export class UsageIngest {
  private readonly logger = new Logger('api-usage-ingest');
  private readonly reader: StreamGroupReader;
  private readonly publishers = new Map<string, string>();
  private readonly loop: StreamConsumerLoop;

  constructor(
    redis: RedisService,
    private readonly repository: UsageIngestRepository,
    readonly options: UsageIngestOptions,
  ) {
    this.reader = marketplaceUsageReader(redis, options.consumer, options.stream);
    this.loop = new StreamConsumerLoop(
      { recover: () => this.recover(), poll: () => this.pollOnce(), trim: () => this.trim() },
      { claimIdleMs: options.claimIdleMs, what: 'usage batch', logger: this.logger },
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Lets the batch in hand commit and ack (a read blocks at most `blockMs`), then closes the connection. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.reader.close();
  }

  /** Creates the group if needed, then handles this consumer's own unacked entries, then those dead consumers left pending. */
  async recover(): Promise<IngestCounts> {
    await this.reader.ensureGroup();
    const total = emptyCounts();
    for (;;) {
      const own = await this.reader.read({ pending: true, count: this.options.count, blockMs: 0 });
      if (own.length === 0) break;
      add(total, await this.process(own));
    }
    for (;;) {
      const claimed = await this.reader.claimIdle(this.options.claimIdleMs, this.options.count);
      if (claimed.length === 0) break;
      add(total, await this.process(claimed));
    }
    return total;
  }

  /** Waits up to `blockMs` for new entries and stores them. */
  async pollOnce(): Promise<IngestCounts> {
    return this.process(await this.reader.read({ pending: false, count: this.options.count, blockMs: this.options.blockMs }));
  }

  /** Reads new entries without storing or acknowledging them: what a worker that dies right after XREADGROUP leaves pending (tests). */
  async readWithoutStoring(): Promise<number> {
    return (await this.reader.read({ pending: false, count: this.options.count, blockMs: 0 })).length;
  }

  async trim(): Promise<number> {
    return this.reader.trimAcknowledged();
  }

  /** Stores the valid events of the entries in one transaction, then acknowledges every entry. */
  private async process(entries: readonly StreamEntry[]): Promise<IngestCounts> {
    const counts = emptyCounts();
    if (entries.length === 0) return counts;
    counts.entries = entries.length;
    const events: MarketplaceUsageEvent[] = [];
    for (const entry of entries) {
      const parsed = parseMarketplaceUsageEntry(entry);
      events.push(...parsed.events);
      counts.invalid += parsed.problems.length;
      for (const problem of parsed.problems) this.logger.warn(`skipping usage in entry ${entry.id}: ${problem}`);
    }
    const storable = await this.withPublishers(events, counts);
    const { inserted, late } = await this.write(storable);
    counts.inserted = inserted;
    counts.late = late;
    counts.duplicates = storable.length - inserted;
    await this.reader.ack(entries.map((e) => e.id));
    return counts;
  }

  private async withPublishers(events: readonly MarketplaceUsageEvent[], counts: IngestCounts): Promise<StorableUsageEvent[]> {
    const missing = [...new Set(events.map((e) => e.listingId).filter((id) => !this.publishers.has(id)))];
    if (missing.length > 0) {
      const found = await this.repository.publishers(missing);
      if (this.publishers.size + found.size > PUBLISHER_CACHE_MAX) this.publishers.clear();
      for (const [listing, publisher] of found) this.publishers.set(listing, publisher);
    }
    const out: StorableUsageEvent[] = [];
    for (const event of events) {
      const publisherOrganizationId = this.publishers.get(event.listingId);
      if (publisherOrganizationId) out.push({ ...event, publisherOrganizationId });
      else {
        counts.invalid++;
        this.logger.warn(`skipping usage event ${event.id}: no listing ${event.listingId}`);
      }
    }
    return out;
  }

  /**
   * A failed batch is either PostgreSQL being away (throw: nothing is acked, the batch comes
   * back) or an event the database refuses despite validation: then events are stored one by
   * one and only the refused ones are dropped.
   */
  private async write(events: StorableUsageEvent[]): Promise<{ inserted: number; late: number }> {
    if (events.length === 0) return { inserted: 0, late: 0 };
    try {
      return await this.repository.ingest(events);
    } catch (err) {
      if (!(await this.repository.reachable())) throw err;
    }
    const total = { inserted: 0, late: 0 };
    for (const event of events) {
      try {
        const r = await this.repository.ingest([event]);
        total.inserted += r.inserted;
        total.late += r.late;
      } catch (err) {
        if (!(await this.repository.reachable())) throw err;
        this.logger.warn(`dropping usage event ${event.id} the database refused: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return total;
  }
}

function emptyCounts(): IngestCounts {
  return { entries: 0, inserted: 0, duplicates: 0, late: 0, invalid: 0 };
}

function add(into: IngestCounts, c: IngestCounts): void {
  into.entries += c.entries;
  into.inserted += c.inserted;
  into.duplicates += c.duplicates;
  into.late += c.late;
  into.invalid += c.invalid;
}

/** Builds meters wired to the shared Redis connection (the worker starts one; tests and the benchmark build their own). */
@Injectable()
export class UsageIngestFactory {
  constructor(
    @Inject(RedisService) private readonly redis: RedisService,
    @Inject(UsageIngestRepository) private readonly repository: UsageIngestRepository,
    @Optional() @Inject(MARKETPLACE_USAGE_STREAM_KEY) private readonly stream?: string,
  ) {}

  create(options: Pick<UsageIngestOptions, 'consumer'> & Partial<UsageIngestOptions>): UsageIngest {
    return new UsageIngest(this.redis, this.repository, { ...DEFAULTS, stream: this.stream ?? MARKETPLACE_USAGE_STREAM, ...options });
  }
}
