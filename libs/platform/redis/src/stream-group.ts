import type { Redis } from 'ioredis';
import type { RedisService } from './redis.service';

/** One stream entry as a consumer group hands it out. */
export interface StreamEntry {
  id: string;
  /** Field → value; `null` when the entry was trimmed (MAXLEN) while it was still pending. */
  fields: Record<string, string> | null;
}

export interface StreamGroupOptions {
  stream: string;
  group: string;
  /** This reader's name in the group; pending entries belong to it until acked or claimed. */
  consumer: string;
}

/**
 * A consumer of one Redis stream through a consumer group (XREADGROUP / XACK / XAUTOCLAIM).
 * Blocking reads run on a connection of their own, so a 1 s BLOCK never stalls the shared
 * connection's other commands. At-least-once: an entry stays pending until `ack`, so a reader
 * that dies after processing but before acking gets it again (the caller must be idempotent).
 */
export class StreamGroupReader {
  private readonly blocking: Redis;

  constructor(
    redis: RedisService,
    readonly options: StreamGroupOptions,
  ) {
    this.blocking = redis.client.duplicate();
    this.blocking.on('error', () => undefined); // failures surface through the failing command
  }

  /** Creates the group (and the stream) if missing. A new group starts at the stream's beginning, so nothing appended before the first reader is lost. */
  async ensureGroup(): Promise<void> {
    try {
      await this.blocking.xgroup('CREATE', this.options.stream, this.options.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('BUSYGROUP')) throw err;
    }
  }

  /**
   * `pending: true` re-reads this consumer's own unacked entries (no blocking); otherwise waits
   * up to `blockMs` for new ones.
   */
  async read(options: { pending: boolean; count: number; blockMs: number }): Promise<StreamEntry[]> {
    const { stream, group, consumer } = this.options;
    const res = options.pending
      ? await this.blocking.xreadgroup('GROUP', group, consumer, 'COUNT', options.count, 'STREAMS', stream, '0')
      : await this.blocking.xreadgroup('GROUP', group, consumer, 'COUNT', options.count, 'BLOCK', options.blockMs, 'STREAMS', stream, '>');
    const rows = (res as [string, [string, string[] | null][]][] | null)?.[0]?.[1] ?? [];
    return rows.map(([id, fields]) => ({ id, fields: fields ? toRecord(fields) : null }));
  }

  /** Takes over entries other consumers left pending for longer than `minIdleMs` (a dead worker's batch). */
  async claimIdle(minIdleMs: number, count: number): Promise<StreamEntry[]> {
    const { stream, group, consumer } = this.options;
    const out: StreamEntry[] = [];
    let cursor = '0-0';
    do {
      const res = (await this.blocking.xautoclaim(stream, group, consumer, minIdleMs, cursor, 'COUNT', count)) as [
        string,
        [string, string[] | null][],
        string[]?,
      ];
      cursor = res[0];
      for (const [id, fields] of res[1]) out.push({ id, fields: fields ? toRecord(fields) : null });
    } while (cursor !== '0-0' && out.length < count);
    return out;
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.blocking.xack(this.options.stream, this.options.group, ...ids);
  }

  close(): void {
    this.blocking.disconnect();
  }
}

function toRecord(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}
