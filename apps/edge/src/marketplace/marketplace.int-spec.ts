import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MARKETPLACE_INVALIDATION_CHANNEL,
  MARKETPLACE_KEYS_HASH,
  MARKETPLACE_SUBSCRIPTIONS_HASH,
  MARKETPLACE_USAGE_FIELD,
  MARKETPLACE_USAGE_STREAM,
  marketplaceBalanceKey,
  marketplaceUsageEventSchema,
  type EdgeConsumerKey,
  type EdgeSubscription,
  type MarketplaceUsageEvent,
} from '@slipway/contracts';
import { RouteTableStore } from '@slipway/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../edge';
import { silentLogger } from '../log';
import { RouteSnapshot } from '../route-snapshot';
import { close, get, startUpstream, type Reply, type Seen } from '../testing/http-fixtures';
import { keyOf, listingOf, marketTableOf, subscriptionOf } from '../testing/marketplace-fixtures';

// A db of its own; records use ids of this run, so nothing is flushed (other suites share Redis).
const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:63799');
url.pathname = '/6';
const REDIS_URL = url.toString();
const run = randomUUID().slice(0, 8);
const LISTING = 'weather.api.localhost';

const dataDir = mkdtempSync(path.join(tmpdir(), 'edge-mkt-'));
const store = RouteTableStore.connect(REDIS_URL);
const redis = store.client;
let edge: RunningEdge;
let upstream: Awaited<ReturnType<typeof startUpstream>>;
const seen: Seen[] = [];

/** The app: `/boom` answers 500, `/slow` answers after 300 ms, everything else 200 with what it saw. */
function app(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ name: 'app', method: req.method ?? '', url: req.url ?? '', headers: req.headers });
  req.resume().on('end', () => {
    const status = req.url?.startsWith('/boom') ? 500 : 200;
    const answer = () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status === 200 }));
    if (req.url?.startsWith('/slow')) setTimeout(answer, 300);
    else answer();
  });
}

async function until<T>(read: () => Promise<T | undefined> | T | undefined, ms = 3_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let n = 0;
const written = { keys: [] as string[], subs: [] as string[] };
/** A subscription and a key of this run, written to Redis as the api would. */
async function subscribe(sub: Partial<EdgeSubscription> = {}, key: Partial<EdgeConsumerKey> = {}) {
  const subscriptionId = `sub_${run}_${++n}`;
  const record = subscriptionOf({ subscriptionId, ...sub });
  const k = keyOf({ subscriptionId, ...key });
  await redis.hset(MARKETPLACE_SUBSCRIPTIONS_HASH, subscriptionId, JSON.stringify(record));
  await redis.hset(MARKETPLACE_KEYS_HASH, k.hash, JSON.stringify(k.record));
  written.keys.push(k.hash);
  written.subs.push(subscriptionId);
  return { ...k, subscriptionId };
}

const call = (key: string | undefined, p = '/forecast', extra: Record<string, string> = {}, method = 'GET'): Promise<Reply> =>
  get(edge.port, p, { host: LISTING, ...(key ? { 'x-api-key': key } : {}), ...extra }, method);

/** The usage events of one subscription in the stream. */
async function eventsOf(subscriptionId: string): Promise<MarketplaceUsageEvent[]> {
  const rows = await redis.xrange(MARKETPLACE_USAGE_STREAM, '-', '+');
  return rows.flatMap(([, fields]) => JSON.parse(fields[fields.indexOf(MARKETPLACE_USAGE_FIELD) + 1]!) as MarketplaceUsageEvent[]).filter((e) => e.subscriptionId === subscriptionId);
}

function expectProblem(res: Reply, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json');
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `https://slipway.dev/problems/${code}`, status, code, instance: res.headers['x-request-id'] });
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
  return body;
}

beforeAll(async () => {
  await until(() => (redis.status === 'ready' ? true : undefined));
  upstream = await startUpstream('app', app);
  const table = marketTableOf(Date.now(), [upstream.port]);
  await new RouteSnapshot(dataDir).save(table); // so the Redis-down test below restarts with it
  await store.publish(table);
  edge = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: REDIS_URL, dataDir, log: silentLogger, usageIntervalMs: 20, shutdownGraceMs: 1_000 });
  await until(() => (edge.routes.lookup(LISTING) ? true : undefined));
  await edge.market.follower.ready();
});

afterAll(async () => {
  await edge?.stop();
  if (written.keys.length) await redis.hdel(MARKETPLACE_KEYS_HASH, ...written.keys);
  if (written.subs.length) await redis.hdel(MARKETPLACE_SUBSCRIPTIONS_HASH, ...written.subs);
  for (const id of written.subs) {
    const keys = await redis.keys(`slipway:mkt:*{${id}}*`);
    if (keys.length) await redis.del(...keys);
  }
  await close(upstream.server);
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the edge on a listing host', () => {
  it('refuses a missing or malformed key with 401 problem+json, and forwards nothing', async () => {
    const before = seen.length;
    const missing = await call(undefined);
    expectProblem(missing, 401, 'invalid_api_key');
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expectProblem(await call('swk_live_0000000000000000000000000000000000000000000000000'), 401, 'invalid_api_key');
    expectProblem(await call(undefined, '/forecast', { authorization: 'Bearer swk_test_short' }), 401, 'invalid_api_key');
    expect(seen.length).toBe(before);
  });

  it("forwards an admitted call with the edge's headers only, adds RateLimit headers, and meters it", async () => {
    const s = await subscribe({ limits: { perSecond: null, perMinute: 100, perDay: null, perMonth: 1_000 } });
    const res = await call(undefined, '/forecast?city=Paris', {
      authorization: `Bearer ${s.key}`,
      'slipway-consumer-id': 'org_spoofed',
      'slipway-proxy-secret': 'guessed',
      'slipway-anything': 'x',
      'x-custom': 'kept',
    });
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-policy']).toBe('"minute";q=100;w=60, "month";q=1000;w=2678400');
    expect(res.headers.ratelimit).toMatch(/^"minute";r=99;t=\d+$/);
    expect(res.headers['x-ratelimit-limit']).toBe('100');
    expect(res.headers['x-ratelimit-remaining']).toBe('99');

    const got = seen.at(-1)!.headers;
    expect(got).toMatchObject({
      'slipway-consumer-id': 'org_consumer',
      'slipway-subscription-id': s.subscriptionId,
      'slipway-plan': 'basic',
      'slipway-key-mode': 'live',
      'slipway-proxy-secret': listingOf().secret,
      'x-custom': 'kept',
      host: LISTING,
    });
    expect(got.authorization).toBeUndefined();
    expect(got['x-api-key']).toBeUndefined();
    expect(got['slipway-anything']).toBeUndefined();
    expect(seen.at(-1)!.url).toBe('/forecast?city=Paris');

    const [event] = await until(async () => {
      const e = await eventsOf(s.subscriptionId);
      return e.length ? e : undefined;
    });
    expect(marketplaceUsageEventSchema.parse(event)).toMatchObject({
      id: got['slipway-call-id'],
      listingId: 'lst_weather',
      subscriptionId: s.subscriptionId,
      consumerId: 'org_consumer',
      keyId: s.record.keyId,
      planVersionId: 'plv_basic_1',
      mode: 'live',
      method: 'GET',
      operation: '/forecast',
      weight: 1,
      status: 200,
      releaseId: 'rel_1',
    });
    expect(event!.durationMs).toBeGreaterThan(0);
  });

  it('revokes a key everywhere within one second of the invalidation', async () => {
    const s = await subscribe();
    expect((await call(s.key)).status).toBe(200); // now cached in the edge
    await redis.hdel(MARKETPLACE_KEYS_HASH, s.hash);
    const revokedAt = Date.now();
    await redis.publish(MARKETPLACE_INVALIDATION_CHANNEL, JSON.stringify({ keyHash: s.hash }));
    await until(async () => ((await call(s.key)).status === 401 ? true : undefined), 1_000);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expectProblem(await call(s.key), 401, 'invalid_api_key');
  });

  it('refuses a rerolled key once its overlap ended, without any invalidation', async () => {
    const s = await subscribe({}, { expiresAt: new Date(Date.now() + 400).toISOString() });
    expect((await call(s.key)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    const body = expectProblem(await call(s.key), 401, 'invalid_api_key');
    expect(body.detail).toContain('expired');
  });

  it('answers 403 for a key of another listing, a canceled subscription, an operation outside the plan; 402 when past due', async () => {
    const before = seen.length;
    expectProblem(await call((await subscribe({ listingId: 'lst_other' }, { listingId: 'lst_other' })).key), 403, 'wrong_listing');
    expectProblem(await call((await subscribe({ status: 'canceled' })).key), 403, 'subscription_inactive');
    expectProblem(await call((await subscribe({ status: 'past_due' })).key), 402, 'payment_required');
    const narrow = await subscribe({ operations: [{ method: 'GET', path: '/forecast' }] });
    expectProblem(await call(narrow.key, '/v1/items/7', {}, 'DELETE'), 403, 'operation_not_in_plan');
    expect(seen.length).toBe(before);
    expect((await call(narrow.key, '/forecast')).status).toBe(200);
  });

  it('meters test keys as mode test and never takes from the balance', async () => {
    const s = await subscribe({ gate: 'balance', unitPriceMicros: 1_000 }, { mode: 'test' });
    await redis.set(marketplaceBalanceKey(s.subscriptionId), 500);
    expect((await call(s.key)).status).toBe(200);
    expect(seen.at(-1)!.headers['slipway-key-mode']).toBe('test');
    const events = await until(async () => ((await eventsOf(s.subscriptionId)).length ? eventsOf(s.subscriptionId) : undefined));
    expect(events.map((e) => e.mode)).toEqual(['test']);
    expect(await redis.get(marketplaceBalanceKey(s.subscriptionId))).toBe('500');
  });

  it('answers 402 once the prepaid balance is exactly spent', async () => {
    const s = await subscribe({ gate: 'balance', unitPriceMicros: 1_000 });
    await redis.set(marketplaceBalanceKey(s.subscriptionId), 3_000);
    for (let i = 0; i < 3; i++) expect((await call(s.key)).status).toBe(200);
    expectProblem(await call(s.key), 402, 'balance_exhausted');
    expect(await redis.get(marketplaceBalanceKey(s.subscriptionId))).toBe('0');
    const cap = await subscribe({ gate: 'balance', balanceKind: 'spend_cap', unitPriceMicros: 1_000 });
    const capped = await call(cap.key);
    expectProblem(capped, 402, 'spend_cap_reached');
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not meter 5xx answers (unless the listing bills them) nor calls that match no operation', async () => {
    const s = await subscribe();
    expect((await call(s.key, '/boom')).status).toBe(500);
    expect((await call(s.key, '/health')).status).toBe(200);
    expect((await call(s.key, '/forecast')).status).toBe(200);
    const events = await until(async () => ((await eventsOf(s.subscriptionId)).length ? eventsOf(s.subscriptionId) : undefined));
    await new Promise((r) => setTimeout(r, 100)); // one more flush interval: nothing else arrives
    expect((await eventsOf(s.subscriptionId)).map((e) => [e.operation, e.status])).toEqual([['/forecast', 200]]);
    expect(events).toHaveLength(1);
  });

  it('admits exactly the quota of 200 concurrent calls, answers the rest 429 with headers, and meters only the admitted', async () => {
    const s = await subscribe({ limits: { perSecond: null, perMinute: null, perDay: null, perMonth: 50 } });
    const replies = await Promise.all(Array.from({ length: 200 }, () => call(s.key)));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(150);
    const one = refused[0]!;
    expectProblem(one, 429, 'quota_exceeded');
    expect(one.headers['ratelimit-policy']).toBe('"month";q=50;w=2678400');
    expect(one.headers.ratelimit).toMatch(/^"month";r=0;t=\d+$/);
    expect(one.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(one.headers['retry-after'])).toBe(Number(one.headers['x-ratelimit-reset']));
    const keys = await redis.keys(`slipway:mkt:rl:{${s.subscriptionId}}:*`);
    expect(keys).toHaveLength(1);
    expect(await redis.get(keys[0]!)).toBe('50');
    const events = await until(async () => {
      const e = await eventsOf(s.subscriptionId);
      return e.length >= 50 ? e : undefined;
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(50);
  });

  it('answers 429 rate_limited per second with Retry-After', async () => {
    const s = await subscribe({ limits: { perSecond: 2, perMinute: null, perDay: null, perMonth: null } });
    const replies = await Promise.all(Array.from({ length: 5 }, () => call(s.key)));
    const refused = replies.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(3 - 2); // the burst may straddle two seconds
    expectProblem(refused[0]!, 429, 'rate_limited');
    expect(refused[0]!.headers['retry-after']).toBe('1');
  });

  it('with Redis unreachable, refuses listing calls with 503 metering_unavailable and still serves plain hosts', async () => {
    await edge.stop();
    edge = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: 'redis://127.0.0.1:1', dataDir, log: silentLogger, shutdownGraceMs: 500 });
    expect(edge.routes.lookup(LISTING)).toBeDefined();
    const before = seen.length;
    const res = await call(keyOf().key);
    expectProblem(res, 503, 'metering_unavailable');
    expect(res.headers['retry-after']).toBe('1');
    expect(seen.length).toBe(before);
    const plain = await get(edge.port, '/', { host: 'web.localhost' });
    expect(plain.status).toBe(200);
  });
});
