import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MARKETPLACE_KEYS_HASH,
  MARKETPLACE_SUBSCRIPTIONS_HASH,
  MARKETPLACE_USAGE_FIELD,
  MARKETPLACE_USAGE_STREAM,
  type EdgeConsumerKey,
  type EdgeSubscription,
  type MarketplaceUsageEvent,
} from '@slipway/contracts';
import { loadConfig } from '@slipway/config';
import { RouteTableStore } from '@slipway/redis';
import { expect } from 'vitest';
import { startEdge, type RunningEdge } from '../edge';
import { silentLogger } from '../log';
import { RouteSnapshot } from '../route-snapshot';
import { close, get, startUpstream, type Reply, type Seen } from './http-fixtures';
import { keyOf, marketTableOf, subscriptionOf } from './marketplace-fixtures';

/** The listing host of `marketTableOf`. */
export const LISTING = 'weather.api.localhost';

/**
 * A real edge on real Redis (db 6) in front of a loopback app, for the marketplace int-specs.
 * Records use ids of this run and are deleted at the end: nothing is flushed (other suites share Redis).
 */
export class MarketplaceHarness {
  readonly redisUrl: string;
  readonly store: RouteTableStore;
  readonly seen: Seen[] = [];
  edge!: RunningEdge;
  private upstream!: Awaited<ReturnType<typeof startUpstream>>;
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), 'edge-mkt-'));
  private readonly run = randomUUID().slice(0, 8);
  private n = 0;
  private readonly written = { keys: [] as string[], subs: [] as string[] };

  constructor() {
    const url = new URL(loadConfig().REDIS_URL);
    url.pathname = '/6';
    this.redisUrl = url.toString();
    this.store = RouteTableStore.connect(this.redisUrl);
  }

  get redis() {
    return this.store.client;
  }

  async start(): Promise<void> {
    await until(() => (this.redis.status === 'ready' ? true : undefined));
    this.upstream = await startUpstream('app', (req, res) => this.app(req, res));
    const table = marketTableOf(Date.now(), [this.upstream.port]);
    await new RouteSnapshot(this.dataDir).save(table); // so a restart with Redis down serves it
    await this.store.publish(table);
    this.edge = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: this.redisUrl, dataDir: this.dataDir, log: silentLogger, usageIntervalMs: 20, shutdownGraceMs: 1_000 });
    await until(() => (this.edge.routes.lookup(LISTING) ? true : undefined));
    await this.edge.market.follower.ready();
  }

  /** Stop the edge and start it again with Redis unreachable (it serves its file snapshot). */
  async restartWithRedisDown(): Promise<void> {
    await this.edge.stop();
    this.edge = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: 'redis://127.0.0.1:1', dataDir: this.dataDir, log: silentLogger, shutdownGraceMs: 500 });
  }

  async stop(): Promise<void> {
    await this.edge?.stop();
    const { keys, subs } = this.written;
    if (keys.length) await this.redis.hdel(MARKETPLACE_KEYS_HASH, ...keys);
    if (subs.length) await this.redis.hdel(MARKETPLACE_SUBSCRIPTIONS_HASH, ...subs);
    for (const id of subs) {
      const counters = await this.redis.keys(`slipway:mkt:*{${id}}*`);
      if (counters.length) await this.redis.del(...counters);
    }
    if (this.upstream) await close(this.upstream.server);
    await this.store.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A subscription and a key of this run, written to Redis as the api would. */
  async subscribe(sub: Partial<EdgeSubscription> = {}, key: Partial<EdgeConsumerKey> = {}) {
    const subscriptionId = `sub_${this.run}_${++this.n}`;
    const record = subscriptionOf({ subscriptionId, ...sub });
    const k = keyOf({ subscriptionId, ...key });
    await this.redis.hset(MARKETPLACE_SUBSCRIPTIONS_HASH, subscriptionId, JSON.stringify(record));
    await this.redis.hset(MARKETPLACE_KEYS_HASH, k.hash, JSON.stringify(k.record));
    this.written.keys.push(k.hash);
    this.written.subs.push(subscriptionId);
    return { ...k, subscriptionId };
  }

  call(key: string | undefined, p = '/forecast', extra: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
    return get(this.edge.port, p, { host: LISTING, ...(key ? { 'x-api-key': key } : {}), ...extra }, method);
  }

  /** The usage events of one subscription in the stream. */
  async eventsOf(subscriptionId: string): Promise<MarketplaceUsageEvent[]> {
    const rows = await this.redis.xrange(MARKETPLACE_USAGE_STREAM, '-', '+');
    return rows.flatMap(([, fields]) => JSON.parse(fields[fields.indexOf(MARKETPLACE_USAGE_FIELD) + 1]!) as MarketplaceUsageEvent[]).filter((e) => e.subscriptionId === subscriptionId);
  }

  /** Waits until the subscription has at least `count` events, and answers them. */
  eventsOnceThere(subscriptionId: string, count = 1): Promise<MarketplaceUsageEvent[]> {
    return until(async () => {
      const events = await this.eventsOf(subscriptionId);
      return events.length >= count ? events : undefined;
    });
  }

  /**
   * The app: `/boom` answers 500, `/slow` answers after 300 ms, `/v1/items/head-first` sends its
   * head at once and its body 300 ms later, everything else 200.
   */
  private app(req: IncomingMessage, res: ServerResponse): void {
    this.seen.push({ name: 'app', method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume().on('end', () => {
      if (req.url === '/v1/items/head-first') {
        res.writeHead(200, { 'content-type': 'text/plain' }).flushHeaders();
        setTimeout(() => res.end('late'), 300);
        return;
      }
      const status = req.url?.startsWith('/boom') ? 500 : 200;
      const answer = () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status === 200 }));
      if (req.url?.startsWith('/slow')) setTimeout(answer, 300);
      else answer();
    });
  }
}

export async function until<T>(read: () => Promise<T | undefined> | T | undefined, ms = 3_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asserts an edge refusal: status, problem+json body with its code, type and instance. */
export function expectProblem(res: Reply, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json');
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `https://slipway.dev/problems/${code}`, status, code, instance: res.headers['x-request-id'] });
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
  return body;
}
