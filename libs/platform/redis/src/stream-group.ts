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
   * up to `blockMs` for new ones (`0`: answers at once with what is there, unlike Redis's BLOCK 0,
   * which would wait forever).
   */
  async read(options: { pending: boolean; count: number; blockMs: number }): Promise<StreamEntry[]> {
    const { stream, group, consumer } = this.options;
    const res = options.pending
      ? await this.blocking.xreadgroup('GROUP', group, consumer, 'COUNT', options.count, 'STREAMS', stream, '0')
      : options.blockMs > 0
        ? await this.blocking.xreadgroup('GROUP', group, consumer, 'COUNT', options.count, 'BLOCK', options.blockMs, 'STREAMS', stream, '>')
        : await this.blocking.xreadgroup('GROUP', group, consumer, 'COUNT', options.count, 'STREAMS', stream, '>');
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

  /**
   * Deletes the entries this group is done with (XTRIM MINID): everything older than its oldest
   * pending entry, or, with nothing pending, than the next entry it has not delivered yet. Only
   * for a stream this group alone reads: other groups' progress is not consulted. Returns the
   * number of entries deleted.
   */
  async trimAcknowledged(): Promise<number> {
    const { stream, group } = this.options;
    const [pending, groups] = await Promise.all([
      this.blocking.xpending(stream, group) as Promise<[number, string | null, string | null, unknown]>,
      this.blocking.xinfo('GROUPS', stream) as Promise<unknown[][]>,
    ]);
    const info = groups.map(toRecordOf).find((g) => g.name === group);
    if (!info) return 0;
    const minId = Number(pending[0]) > 0 && pending[1] ? pending[1] : nextId(String(info['last-delivered-id']));
    return Number(await this.blocking.xtrim(stream, 'MINID', minId));
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

function toRecordOf(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** The smallest stream id after `id` (`<ms>-<seq>`). */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms ?? '0'}-${BigInt(seq ?? '0') + 1n}`;
}
