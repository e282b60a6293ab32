import { Redis } from 'ioredis';
import { EDGE_ROUTES_CHANNEL, type EdgeRouteTable } from '@slipway/contracts';
import { InvalidRouteTableError, RouteTableStore, redisBackoff } from './route-table-store';

export interface RouteTableSubscriberOptions {
  redisUrl: string;
  /** Called with every table read from Redis whose version is above the last one delivered. */
  onTable: (table: EdgeRouteTable) => void;
  /** The stored table is broken: the caller keeps its current one. */
  onInvalid?: (err: InvalidRouteTableError) => void;
  /** Redis unreachable or a read failed (the subscriber keeps retrying on its own). */
  onError?: (err: Error) => void;
  /** Full reload even without an announcement, in case one was lost. Default 30 s; 0 disables. */
  resyncIntervalMs?: number;
}

/**
 * Longest wait between two attempts to reach Redis again (reconnects and failed reads). While
 * the follower is cut off it cannot hear a switch; once Redis is back, a deployment may switch
 * and stop the old replicas after its drain (DEPLOY_DRAIN_SECONDS, 5 s by default), and an edge
 * still waiting out a 5 s backoff kept routing to them (502s, found by the Redis fault test in
 * apps/e2e/faults). Within a second it reloads the table well before the old replicas stop.
 */
export const ROUTE_FOLLOW_RECONNECT_MS = 1_000;

/**
 * Follows the route table in Redis: a full load on every (re)connect, after every version
 * announced on `EDGE_ROUTES_CHANNEL`, and on a slow timer. Loads never overlap; an
 * announcement that arrives during a load triggers one more. Reads that fail are retried with
 * backoff while ioredis reconnects on its own. Needs two connections (a subscribed connection
 * cannot GET). Not Nest-bound: the edge uses it directly.
 */
export class RouteTableSubscriber {
  private readonly sub: Redis;
  private readonly store: RouteTableStore;
  private delivered = -1;
  private loading = false;
  private again = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: RouteTableSubscriberOptions) {
    this.store = RouteTableStore.connect(options.redisUrl, ROUTE_FOLLOW_RECONNECT_MS);
    this.sub = new Redis(options.redisUrl, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: null, retryStrategy: followBackoff });
    this.sub.on('error', (err: Error) => options.onError?.(err));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== EDGE_ROUTES_CHANNEL) return;
      const version = Number(message);
      if (Number.isFinite(version) && version <= this.delivered) return; // already have it or newer
      void this.resync();
    });
    // Subscribe first, then load: an announcement between the two cannot be missed.
    this.sub.on('ready', () => {
      this.sub.subscribe(EDGE_ROUTES_CHANNEL).then(
        () => void this.resync(),
        (err: Error) => options.onError?.(err),
      );
    });
  }

  /** Connect and keep following until `close()`. */
  start(): void {
    this.sub.connect().catch(() => undefined); // ioredis keeps retrying; errors reach onError
    const every = this.options.resyncIntervalMs ?? 30_000;
    if (every > 0) this.resyncTimer = setInterval(() => void this.resync(), every).unref();
  }

  /** The highest table version handed to `onTable` so far (-1 before the first). */
  get version(): number {
    return this.delivered;
  }

  /** Load the full table now (coalesced with a load in progress). */
  async resync(): Promise<void> {
    if (this.closed) return;
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    try {
      do {
        this.again = false;
        await this.loadOnce();
      } while (this.again && !this.closed);
    } finally {
      this.loading = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.resyncTimer);
    this.sub.disconnect();
    await this.store.close();
  }

  private async loadOnce(): Promise<void> {
    try {
      const table = await this.store.load();
      this.attempt = 0;
      clearTimeout(this.retryTimer);
      if (table && table.version > this.delivered) {
        this.delivered = table.version;
        this.options.onTable(table);
      }
    } catch (err) {
      if (err instanceof InvalidRouteTableError) {
        this.options.onInvalid?.(err);
        return; // retrying would read the same bad value; the next announcement reloads
      }
      this.options.onError?.(err as Error);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.resync(), followBackoff(++this.attempt)).unref();
    }
  }
}

/** redisBackoff, capped at ROUTE_FOLLOW_RECONNECT_MS. */
export const followBackoff = (attempt: number): number => redisBackoff(attempt, ROUTE_FOLLOW_RECONNECT_MS);
