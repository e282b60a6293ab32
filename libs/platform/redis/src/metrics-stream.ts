import { Redis } from 'ioredis';
import { EDGE_METRICS_STREAM, edgeMetricsSchema, type EdgeMetrics } from '@slipway/contracts';
import { redisBackoff } from './route-table-store';

/** Stream entries carry one field, `data`: the JSON of an `EdgeMetrics`. */
export const EDGE_METRICS_FIELD = 'data';
/** Approximate cap on the stream length (XADD MAXLEN ~). */
export const EDGE_METRICS_MAXLEN = 100_000;

export interface EdgeMetricsEntry {
  /** The stream entry id (`<ms>-<seq>`); pass the last one as `after` to read on. */
  id: string;
  metrics: EdgeMetrics;
}

/**
 * Append/read helpers for `EDGE_METRICS_STREAM`. The edge appends one entry per active
 * release per flush; the observability pipeline reads them. A connection made by `connect`
 * has no offline queue, so appends fail at once while Redis is down instead of piling up.
 */
export class EdgeMetricsStream {
  constructor(
    readonly client: Redis,
    private readonly ownsClient = false,
  ) {}

  static connect(redisUrl: string): EdgeMetricsStream {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy: redisBackoff });
    client.on('error', () => undefined); // failures surface through the failing command
    return new EdgeMetricsStream(client, true);
  }

  /** XADD every entry in one round trip; returns their ids. */
  async append(entries: readonly EdgeMetrics[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const pipe = this.client.pipeline();
    for (const e of entries) pipe.xadd(EDGE_METRICS_STREAM, 'MAXLEN', '~', EDGE_METRICS_MAXLEN, '*', EDGE_METRICS_FIELD, JSON.stringify(e));
    const res = (await pipe.exec()) ?? [];
    return res.map(([err, id]) => {
      if (err) throw err;
      return String(id);
    });
  }

  /** Entries after `after` (exclusive; default: from the start), oldest first. Malformed entries are skipped. */
  async read(options: { after?: string; count?: number } = {}): Promise<EdgeMetricsEntry[]> {
    const start = options.after ? `(${options.after}` : '-';
    const rows = await this.client.xrange(EDGE_METRICS_STREAM, start, '+', 'COUNT', options.count ?? 1_000);
    const out: EdgeMetricsEntry[] = [];
    for (const [id, fields] of rows) {
      const at = fields.indexOf(EDGE_METRICS_FIELD);
      const raw = at >= 0 ? fields[at + 1] : undefined;
      if (raw === undefined) continue;
      try {
        const parsed = edgeMetricsSchema.safeParse(JSON.parse(raw));
        if (parsed.success) out.push({ id, metrics: parsed.data });
      } catch {
        // not JSON: written by something else, not ours to interpret
      }
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.disconnect();
  }
}
