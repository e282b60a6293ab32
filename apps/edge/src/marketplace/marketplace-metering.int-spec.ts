import { request } from 'node:http';
import { marketplaceBalanceKey, marketplaceUsageEventSchema } from '@slipway/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingOf } from '../testing/marketplace-fixtures';
import { LISTING, MarketplaceHarness } from '../testing/marketplace-harness';

const h = new MarketplaceHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

describe('forwarding and metering on a listing host (real edge, Redis and upstream)', () => {
  it("forwards an admitted call with the edge's headers only, adds RateLimit headers, and meters it", async () => {
    const s = await h.subscribe({ limits: { perSecond: null, perMinute: 100, perDay: null, perMonth: 1_000 } });
    const res = await h.call(undefined, '/forecast?city=Paris', {
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

    const got = h.seen.at(-1)!.headers;
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
    expect(h.seen.at(-1)!.url).toBe('/forecast?city=Paris');

    const [event] = await h.eventsOnceThere(s.subscriptionId);
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

  it('meters test keys as mode test and never takes from the balance', async () => {
    const s = await h.subscribe({ gate: 'balance', unitPriceMicros: 1_000 }, { mode: 'test' });
    await h.redis.set(marketplaceBalanceKey(s.subscriptionId), 500);
    expect((await h.call(s.key)).status).toBe(200);
    expect(h.seen.at(-1)!.headers['slipway-key-mode']).toBe('test');
    const events = await h.eventsOnceThere(s.subscriptionId);
    expect(events.map((e) => e.mode)).toEqual(['test']);
    expect(await h.redis.get(marketplaceBalanceKey(s.subscriptionId))).toBe('500');
  });

  it('does not meter 5xx answers (unless the listing bills them) nor calls that match no operation', async () => {
    const s = await h.subscribe();
    expect((await h.call(s.key, '/boom')).status).toBe(500);
    expect((await h.call(s.key, '/health')).status).toBe(200);
    expect((await h.call(s.key, '/forecast')).status).toBe(200);
    const events = await h.eventsOnceThere(s.subscriptionId);
    await new Promise((r) => setTimeout(r, 100)); // one more flush interval: nothing else arrives
    expect((await h.eventsOf(s.subscriptionId)).map((e) => [e.operation, e.status])).toEqual([['/forecast', 200]]);
    expect(events).toHaveLength(1);
  });

  it('bills a client that left after the app answered, not one that left before', async () => {
    const s = await h.subscribe();
    const leave = (p: string, when: 'at-head' | 'after-100ms') =>
      new Promise<void>((resolve) => {
        const req = request({ host: '127.0.0.1', port: h.edge.port, path: p, headers: { host: LISTING, 'x-api-key': s.key } }, (res) => {
          if (when === 'at-head') req.destroy();
          res.on('error', () => undefined);
        });
        req.on('error', () => resolve()).on('close', () => resolve());
        if (when === 'after-100ms') setTimeout(() => req.destroy(), 100);
        req.end();
      });
    await leave('/v1/items/head-first', 'at-head'); // the app's head arrived: billed with its status
    await leave('/slow', 'after-100ms'); // gone before the app answered: not billed
    const events = await h.eventsOnceThere(s.subscriptionId);
    await new Promise((r) => setTimeout(r, 400)); // the slow answer would have come by now
    expect((await h.eventsOf(s.subscriptionId)).map((e) => [e.operation, e.status])).toEqual([['/v1/items/*', 200]]);
    expect(events).toHaveLength(1);
  });
});
