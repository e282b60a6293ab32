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

  /** Removes the entries every group has acknowledged (see `trimAcknowledged`). */
  async trimAcknowledged(): Promise<number> {
    return trimAcknowledged(this.blocking, this.options.stream);
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

/**
 * Where the entries a stream's consumer groups have not acknowledged begin: per group, its
 * oldest pending entry, else the first entry after its last-delivered id. Returns the earliest
 * over all groups as an XRANGE start (`(<id>` = exclusive), or `-` when there is no group yet
 * or a group never read (everything is unread). Null when there is no stream.
 */
export async function unacknowledgedStart(client: Redis, stream: string): Promise<{ start: string; inclusive: boolean } | null> {
  let groups: unknown[];
  try {
    groups = (await client.xinfo('GROUPS', stream)) as unknown[];
  } catch (err) {
    if (err instanceof Error && /no such key/i.test(err.message)) return null; // no stream: nothing unread
    throw err;
  }
  if (groups.length === 0) return { start: '-', inclusive: true };
  let earliest: { id: string; inclusive: boolean } | null = null;
  for (const raw of groups) {
    const group = toRecord((raw as unknown[]).map(String));
    const name = group.name!;
    const summary = (await client.xpending(stream, name)) as [number, string | null, string | null, unknown];
    const candidate = Number(summary[0]) > 0 && summary[1] ? { id: summary[1], inclusive: true } : { id: group['last-delivered-id'] ?? '0-0', inclusive: false };
    if (!earliest || compareIds(candidate.id, earliest.id) < 0 || (candidate.id === earliest.id && candidate.inclusive)) earliest = candidate;
  }
  if (!earliest) return null;
  if (!earliest.inclusive && earliest.id === '0-0') return { start: '-', inclusive: true };
  return { start: earliest.inclusive ? earliest.id : `(${earliest.id}`, inclusive: earliest.inclusive };
}

/**
 * Removes the entries every consumer group has acknowledged, and only those (XTRIM MINID: every
 * entry below the oldest one a group still needs): an entry not yet read or still pending
 * stays, however long the stream grows. Exact, not `~`: the stream's length is what the
 * gateway's back-pressure reads, so acknowledged entries must not linger in a half-read node.
 * Returns how many entries went.
 */
export async function trimAcknowledged(client: Redis, stream: string): Promise<number> {
  const from = await unacknowledgedStart(client, stream);
  if (from === null) return 0; // no stream
  if (from.start === '-') return 0; // a group that never read, or no group: keep everything
  const threshold = from.inclusive ? from.start : nextId(from.start.slice(1));
  return Number(await client.xtrim(stream, 'MINID', threshold));
}

/** Stream ids `<ms>-<seq>` in order. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

/** The smallest id after `id`. */
export function nextId(id: string): string {
  const [ms, seq = '0'] = id.split('-');
  return `${ms}-${BigInt(seq) + 1n}`;
}

/**
 * Every entry no consumer group has acknowledged yet (and any acknowledged ones among them), in
 * order, `chunk` at a time; `keep` picks what to hold on to, so a large backlog is never held whole.
 */
export async function scanUnacknowledged<T>(client: Redis, stream: string, keep: (entry: StreamEntry) => T[], chunk = 500): Promise<T[]> {
  const from = await unacknowledgedStart(client, stream);
  if (from === null) return [];
  const out: T[] = [];
  let start = from.start;
  for (;;) {
    const rows = await client.xrange(stream, start, '+', 'COUNT', chunk);
    for (const [id, fields] of rows) out.push(...keep({ id, fields: toRecord(fields) }));
    if (rows.length < chunk) return out;
    start = `(${rows[rows.length - 1]![0]}`;
  }
}
