import { Redis } from 'ioredis';
import { EDGE_METRICS_STREAM, edgeMetricsSchema, type EdgeMetrics } from '@slipway/contracts';
import { redisBackoff } from './route-table-store';

/** Stream entries carry one field, `data`: the JSON of an `EdgeMetrics`. */
export const EDGE_METRICS_FIELD = 'data';
/**
 * Last-resort cap on the stream length (XADD MAXLEN ~), so Redis memory stays bounded (≈ 40 MB)
 * while no worker reads. Normally the collector trims only what its group acknowledged
 * (XTRIM MINID, `StreamGroupReader.trimAcknowledged`); at 100 live releases the cap holds
 * about 2.7 hours of flushes.
 */
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
    /** The stream's key; tests use one of their own. */
    readonly stream: string = EDGE_METRICS_STREAM,
  ) {}

  static connect(redisUrl: string, stream: string = EDGE_METRICS_STREAM): EdgeMetricsStream {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy: redisBackoff });
    client.on('error', () => undefined); // failures surface through the failing command
    return new EdgeMetricsStream(client, true, stream);
  }

  /** XADD every entry in one round trip; returns their ids. */
  async append(entries: readonly EdgeMetrics[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const pipe = this.client.pipeline();
    for (const e of entries) pipe.xadd(this.stream, 'MAXLEN', '~', EDGE_METRICS_MAXLEN, '*', EDGE_METRICS_FIELD, JSON.stringify(e));
    const res = (await pipe.exec()) ?? [];
    return res.map(([err, id]) => {
      if (err) throw err;
      return String(id);
    });
  }

  /** Entries after `after` (exclusive; default: from the start), oldest first. Malformed entries are skipped. */
  async read(options: { after?: string; count?: number } = {}): Promise<EdgeMetricsEntry[]> {
    const start = options.after ? `(${options.after}` : '-';
    const rows = await this.client.xrange(this.stream, start, '+', 'COUNT', options.count ?? 1_000);
    const out: EdgeMetricsEntry[] = [];
    for (const [id, fields] of rows) {
      const at = fields.indexOf(EDGE_METRICS_FIELD);
      const parsed = parseEdgeMetrics(at >= 0 ? fields[at + 1] : undefined);
      if (parsed.metrics) out.push({ id, metrics: parsed.metrics });
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.disconnect();
  }
}

/** The `EdgeMetrics` in a stream entry's `data` field, or why there is none. */
export function parseEdgeMetrics(raw: string | undefined): { metrics: EdgeMetrics; problem?: undefined } | { metrics?: undefined; problem: string } {
  if (raw === undefined) return { problem: `no "${EDGE_METRICS_FIELD}" field` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { problem: 'not JSON' };
  }
  const parsed = edgeMetricsSchema.safeParse(json);
  return parsed.success ? { metrics: parsed.data } : { problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
