import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { USAGE_STREAM, type UsageEvent } from '@slipway/contracts';
import { RedisService, StreamConsumerLoop, StreamGroupReader, type StreamEntry } from '@slipway/redis';
import { parseUsageEntry } from './usage-entry';
import { UsageRepository } from './usage.repository';
import { USAGE_CONSUMER_GROUP, USAGE_STREAM_KEY } from './usage-stream';

export interface UsageConsumerOptions {
  /** This worker's name in the group. Keep it stable across restarts to take back its own pending entries at once. */
  consumer: string;
  stream: string;
  group: string;
  /** Entries per read (one Postgres transaction each). */
  count: number;
  /** Longest wait for new entries per read. */
  blockMs: number;
  /** Entries another consumer has held unacked this long are taken over (its worker died). */
  claimIdleMs: number;
}

const DEFAULTS = { group: USAGE_CONSUMER_GROUP, count: 500, blockMs: 1_000, claimIdleMs: 60_000 };

/**
 * Moves usage events from the Redis stream to Postgres, exactly once in effect: each batch is
 * written in one transaction (rows by request id, rollups of the rows actually inserted) and
 * acked only after the commit, so a batch seen again after a crash inserts and adds nothing.
 * An entry that cannot be stored is logged and acked, never retried forever. Acknowledged
 * entries are trimmed from the stream about once a second; unacknowledged ones never are.
 */
export class UsageConsumer {
  private readonly logger = new Logger('usage-consumer');
  private readonly reader: StreamGroupReader;
  private readonly loop: StreamConsumerLoop;

  constructor(
    redis: RedisService,
    private readonly repository: UsageRepository,
    readonly options: UsageConsumerOptions,
  ) {
    this.reader = new StreamGroupReader(redis, { stream: options.stream, group: options.group, consumer: options.consumer });
    this.loop = new StreamConsumerLoop(
      { recover: () => this.recover(), poll: () => this.pollOnce(), trim: () => this.trim() },
      { claimIdleMs: options.claimIdleMs, what: 'usage batch', logger: this.logger },
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Lets the current batch finish (a read blocks for at most `blockMs`), then closes the connection. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.reader.close();
  }

  /**
   * Creates the group if needed, takes back what this consumer had not acked (a crash between
   * commit and ack), then what dead consumers left pending longer than `claimIdleMs`. Returns
   * the entries handled.
   */
  async recover(): Promise<number> {
    await this.reader.ensureGroup();
    let handled = 0;
    for (;;) {
      const own = await this.reader.read({ pending: true, count: this.options.count, blockMs: 0 });
      if (own.length === 0) break;
      handled += await this.process(own);
    }
    for (;;) {
      const claimed = await this.reader.claimIdle(this.options.claimIdleMs, this.options.count);
      if (claimed.length === 0) break;
      handled += await this.process(claimed);
    }
    return handled;
  }

  /**
   * Removes from the stream the entries every consumer group has acknowledged — never one that
   * is unread or pending, however long the stream grows (the gateway refuses new calls past
   * GATEWAY_USAGE_BACKLOG_MAX_ENTRIES instead). Returns how many went.
   */
  async trim(): Promise<number> {
    return this.reader.trimAcknowledged();
  }

  /** Waits up to `blockMs` for new entries and handles them. Returns how many. */
  async pollOnce(): Promise<number> {
    return this.process(await this.reader.read({ pending: false, count: this.options.count, blockMs: this.options.blockMs }));
  }

  /** Writes the valid events of a batch in one transaction, then acks every entry of it. */
  private async process(entries: readonly StreamEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const events: UsageEvent[] = [];
    for (const entry of entries) {
      const parsed = parseUsageEntry(entry);
      events.push(...parsed.events);
      for (const problem of parsed.problems) this.logger.warn(`skipping usage in entry ${entry.id}: ${problem}`);
    }
    await this.write(events);
    await this.reader.ack(entries.map((e) => e.id));
    return entries.length;
  }

  /**
   * A failed batch is either Postgres being away (throw: nothing is acked, the batch comes
   * back) or one event the database refuses despite validation: then the events are written
   * one by one and only the refused ones are dropped, so the stream never stalls on them.
   */
  private async write(events: UsageEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.repository.ingest(events);
      return;
    } catch (err) {
      if (!(await this.repository.reachable())) throw err;
    }
    for (const event of events) {
      try {
        await this.repository.ingest([event]);
      } catch (err) {
        if (!(await this.repository.reachable())) throw err;
        this.logger.warn(`dropping usage event ${event.id} the database refused: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

/** Builds consumers wired to the shared Redis connection and the usage repository (the worker starts one). */
@Injectable()
export class UsageConsumerFactory {
  constructor(
    @Inject(RedisService) private readonly redis: RedisService,
    @Inject(UsageRepository) private readonly repository: UsageRepository,
    @Optional() @Inject(USAGE_STREAM_KEY) private readonly stream?: string,
  ) {}

  create(options: Pick<UsageConsumerOptions, 'consumer'> & Partial<UsageConsumerOptions>): UsageConsumer {
    return new UsageConsumer(this.redis, this.repository, { ...DEFAULTS, stream: this.stream ?? USAGE_STREAM, ...options });
  }
}
