import { MARKETPLACE_INVALIDATION_CHANNEL, MARKETPLACE_KEYS_HASH, marketplaceBalanceKey } from '@slipway/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from '../testing/http-fixtures';
import { keyOf } from '../testing/marketplace-fixtures';
import { expectProblem, LISTING, MarketplaceHarness, until } from '../testing/marketplace-harness';

const h = new MarketplaceHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

describe('admission on a listing host (real edge, Redis and upstream)', () => {
  it('refuses a missing or malformed key with 401 problem+json, and forwards nothing', async () => {
    const before = h.seen.length;
    const missing = await h.call(undefined);
    expectProblem(missing, 401, 'invalid_api_key');
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expectProblem(await h.call('swk_live_0000000000000000000000000000000000000000000000000'), 401, 'invalid_api_key');
    expectProblem(await h.call(undefined, '/forecast', { authorization: 'Bearer swk_test_short' }), 401, 'invalid_api_key');
    expect(h.seen.length).toBe(before);
  });

  it('revokes a key everywhere within one second of the invalidation', async () => {
    const s = await h.subscribe();
    expect((await h.call(s.key)).status).toBe(200); // now cached in the edge
    await h.redis.hdel(MARKETPLACE_KEYS_HASH, s.hash);
    const revokedAt = Date.now();
    await h.redis.publish(MARKETPLACE_INVALIDATION_CHANNEL, JSON.stringify({ keyHash: s.hash }));
    await until(async () => ((await h.call(s.key)).status === 401 ? true : undefined), 1_000);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expectProblem(await h.call(s.key), 401, 'invalid_api_key');
  });

  it('refuses a rerolled key once its overlap ended, without any invalidation', async () => {
    const s = await h.subscribe({}, { expiresAt: new Date(Date.now() + 400).toISOString() });
    expect((await h.call(s.key)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    const body = expectProblem(await h.call(s.key), 401, 'invalid_api_key');
    expect(body.detail).toContain('expired');
  });

  it('answers 403 for a key of another listing, a canceled subscription, an operation outside the plan; 402 when past due', async () => {
    const before = h.seen.length;
    expectProblem(await h.call((await h.subscribe({ listingId: 'lst_other' }, { listingId: 'lst_other' })).key), 403, 'wrong_listing');
    expectProblem(await h.call((await h.subscribe({ status: 'canceled' })).key), 403, 'subscription_inactive');
    expectProblem(await h.call((await h.subscribe({ status: 'past_due' })).key), 402, 'payment_required');
    const narrow = await h.subscribe({ operations: [{ method: 'GET', path: '/forecast' }] });
    expectProblem(await h.call(narrow.key, '/v1/items/7', {}, 'DELETE'), 403, 'operation_not_in_plan');
    expect(h.seen.length).toBe(before);
    expect((await h.call(narrow.key, '/forecast')).status).toBe(200);
  });

  it('answers 402 once the prepaid balance is exactly spent', async () => {
    const s = await h.subscribe({ gate: 'balance', unitPriceMicros: 1_000 });
    await h.redis.set(marketplaceBalanceKey(s.subscriptionId), 3_000);
    for (let i = 0; i < 3; i++) expect((await h.call(s.key)).status).toBe(200);
    expectProblem(await h.call(s.key), 402, 'balance_exhausted');
    expect(await h.redis.get(marketplaceBalanceKey(s.subscriptionId))).toBe('0');
    const cap = await h.subscribe({ gate: 'balance', balanceKind: 'spend_cap', unitPriceMicros: 1_000 });
    const capped = await h.call(cap.key);
    expectProblem(capped, 402, 'spend_cap_reached');
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('admits exactly the quota of 200 concurrent calls, answers the rest 429 with headers, and meters only the admitted', async () => {
    const s = await h.subscribe({ limits: { perSecond: null, perMinute: null, perDay: null, perMonth: 50 } });
    const replies = await Promise.all(Array.from({ length: 200 }, () => h.call(s.key)));
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
    const keys = await h.redis.keys(`slipway:mkt:rl:{${s.subscriptionId}}:*`);
    expect(keys).toHaveLength(1);
    expect(await h.redis.get(keys[0]!)).toBe('50');
    const events = await h.eventsOnceThere(s.subscriptionId, 50);
    expect(new Set(events.map((e) => e.id)).size).toBe(50);

    const metrics = (await get(h.edge.adminPort, '/__edge/metrics', { host: '127.0.0.1' })).body;
    expect(metrics).toContain('slipway_edge_marketplace_refused_total{code="quota_exceeded"} 150');
    expect(metrics).toMatch(/slipway_edge_marketplace_refused_total\{code="invalid_api_key"\} [1-9]/);
    expect(metrics).toMatch(/slipway_edge_marketplace_usage_pending 0/);
  });

  it('answers 429 rate_limited per second with Retry-After', async () => {
    const s = await h.subscribe({ limits: { perSecond: 2, perMinute: null, perDay: null, perMonth: null } });
    const replies = await Promise.all(Array.from({ length: 5 }, () => h.call(s.key)));
    const refused = replies.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(3 - 2); // the burst may straddle two seconds
    expectProblem(refused[0]!, 429, 'rate_limited');
    expect(refused[0]!.headers['retry-after']).toBe('1');
  });

  it('with Redis unreachable, refuses listing calls with 503 metering_unavailable and still serves plain hosts', async () => {
    await h.restartWithRedisDown();
    expect(h.edge.routes.lookup(LISTING)).toBeDefined();
    const before = h.seen.length;
    const res = await h.call(keyOf().key);
    expectProblem(res, 503, 'metering_unavailable');
    expect(res.headers['retry-after']).toBe('1');
    expect(h.seen.length).toBe(before);
    const plain = await get(h.edge.port, '/', { host: 'web.localhost' });
    expect(plain.status).toBe(200);
  });
});
