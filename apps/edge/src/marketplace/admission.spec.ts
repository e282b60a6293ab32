import type { IncomingMessage } from 'node:http';
import type { EdgeConsumerKey, EdgeSubscription } from '@slipway/contracts';
import type { MarketplaceTake, MarketplaceTakeResult } from '@slipway/redis';
import { describe, expect, it } from 'vitest';
import { keyOf, listingOf, subscriptionOf } from '../testing/marketplace-fixtures';
import { MarketplaceAdmission, type MarketplaceStorePort } from './admission';

/** Counts every Redis access admission makes. */
class FakeStore implements MarketplaceStorePort {
  keys = new Map<string, EdgeConsumerKey>();
  subs = new Map<string, EdgeSubscription>();
  calls = { key: 0, subscription: 0, take: 0 };
  takes: MarketplaceTake[] = [];
  answer: MarketplaceTakeResult | ((t: MarketplaceTake) => MarketplaceTakeResult) = (t) => ({ admitted: true, used: t.counters.map(() => t.weight), balance: t.balance ? 1_000 : null });
  async consumerKey(hash: string) {
    this.calls.key++;
    return this.keys.get(hash) ?? null;
  }
  async subscription(id: string) {
    this.calls.subscription++;
    return this.subs.get(id) ?? null;
  }
  async take(t: MarketplaceTake) {
    this.calls.take++;
    this.takes.push(t);
    return typeof this.answer === 'function' ? this.answer(t) : this.answer;
  }
}

const NOW = Date.parse('2026-12-07T18:00:20.000Z');
const req = (headers: Record<string, string>, method = 'GET', url = '/forecast?city=Paris') => ({ headers, method, url }) as unknown as IncomingMessage;

function setup(sub: Partial<EdgeSubscription> = {}, key: Partial<EdgeConsumerKey> = {}) {
  const store = new FakeStore();
  const k = keyOf(key);
  store.keys.set(k.hash, k.record);
  store.subs.set('sub_1', subscriptionOf(sub));
  const admission = new MarketplaceAdmission(store, { now: () => NOW });
  const call = (method = 'GET', url = '/forecast?city=Paris', headers: Record<string, string> = { 'x-api-key': k.key }) => admission.admit(req(headers, method, url), listingOf());
  return { store, k, admission, call };
}

describe('MarketplaceAdmission', () => {
  it('refuses a missing or malformed key with 401 without touching Redis', async () => {
    const { store, k, admission } = setup();
    for (const headers of [{} as Record<string, string>, { 'x-api-key': 'swk_live_nope' }, { authorization: `Bearer ${k.key.slice(0, -1)}x` }, { 'x-api-key': k.key.replace('swk_live_', 'swk_test_') }]) {
      const out = await admission.admit(req(headers), listingOf());
      expect(out).toMatchObject({ admitted: false, code: 'invalid_api_key', headers: { 'www-authenticate': 'Bearer' } });
    }
    expect(store.calls).toEqual({ key: 0, subscription: 0, take: 0 });
  });

  it('admits a known key, forwards who is calling, and builds the usage event of the matched operation', async () => {
    const { store, k, call } = setup({ limits: { perSecond: null, perMinute: 60, perDay: null, perMonth: 1000 } });
    const out = await call('POST', '/v1/batch/run?x=1');
    if (!out.admitted) throw new Error(`refused: ${out.code}`);
    expect(out.forwarded).toEqual({
      'slipway-consumer-id': 'org_consumer',
      'slipway-subscription-id': 'sub_1',
      'slipway-plan': 'basic',
      'slipway-key-mode': 'live',
      'slipway-proxy-secret': listingOf().secret,
      'slipway-call-id': out.usage!.id,
    });
    expect(out.usage).toMatchObject({ listingId: 'lst_weather', subscriptionId: 'sub_1', keyId: k.record.keyId, planVersionId: 'plv_basic_1', mode: 'live', method: 'POST', operation: '/v1/batch/**', weight: 5, time: new Date(NOW).toISOString() });
    expect(store.takes[0]!.weight).toBe(5);
    expect(store.takes[0]!.counters.map((c) => c.limit)).toEqual([60, 1000]);
    expect(out.headers['ratelimit-policy']).toBe('"minute";q=60;w=60, "month";q=1000;w=2678400');
    expect(out.headers.ratelimit).toBe('"minute";r=55;t=40'); // 55/60 left is closer to exhaustion than 995/1000
  });

  it('reads each record once: the next calls are answered from memory', async () => {
    const { store, call } = setup();
    for (let i = 0; i < 5; i++) expect((await call()).admitted).toBe(true);
    expect(store.calls).toEqual({ key: 1, subscription: 1, take: 0 }); // no limits: no script
  });

  it('remembers unknown keys briefly, so sprayed keys cost one read each', async () => {
    const { store, admission } = setup();
    const stranger = keyOf();
    for (let i = 0; i < 3; i++) expect(await admission.admit(req({ 'x-api-key': stranger.key }), listingOf())).toMatchObject({ code: 'invalid_api_key' });
    expect(store.calls.key).toBe(1);
  });

  it('refuses in the order of the design', async () => {
    const expired = setup({}, { expiresAt: new Date(NOW - 1).toISOString() });
    expect(await expired.call()).toMatchObject({ code: 'invalid_api_key', detail: expect.stringContaining('expired') });
    const overlapping = setup({}, { expiresAt: new Date(NOW + 60_000).toISOString() });
    expect((await overlapping.call()).admitted).toBe(true);

    const other = setup({}, { listingId: 'lst_other' });
    expect(await other.call()).toMatchObject({ code: 'wrong_listing' });
    expect(other.store.calls.subscription).toBe(0);

    const canceled = setup({ status: 'canceled' });
    expect(await canceled.call()).toMatchObject({ code: 'subscription_inactive' });
    const pastDue = setup({ status: 'past_due' });
    expect(await pastDue.call()).toMatchObject({ code: 'payment_required' });

    const badPeriod = setup({ periodStart: 'soon', periodEnd: 'later' });
    expect(await badPeriod.call()).toMatchObject({ code: 'subscription_inactive' });

    const noSub = setup();
    noSub.store.subs.clear();
    expect(await noSub.call()).toMatchObject({ code: 'subscription_inactive' });

    const narrow = setup({ operations: [{ method: 'GET', path: '/forecast' }] });
    expect((await narrow.call('GET', '/forecast')).admitted).toBe(true);
    expect(await narrow.call('GET', '/v1/items/3')).toMatchObject({ code: 'operation_not_in_plan', detail: expect.stringContaining('/v1/items/*') });
    expect((await narrow.call('GET', '/health')).admitted).toBe(true); // not billable: not an operation of any plan
    expect(narrow.store.calls.take).toBe(0);
  });

  it('refuses paths that could match one pattern and reach another route in the app', async () => {
    const { call } = setup();
    for (const url of ['/forecast/../admin', '/./forecast', '/v1/items/%2e%2e', '/v1/items/a%2Fb', '/v1\\items']) {
      expect(await call('GET', url)).toMatchObject({ code: 'operation_not_in_plan' });
    }
  });

  it('maps a refused limit to 429 rate_limited or quota_exceeded with Retry-After', async () => {
    const { store, call } = setup({ limits: { perSecond: 5, perMinute: null, perDay: 100, perMonth: null } });
    store.answer = { admitted: false, rejectedBy: 0, used: [5, 50], balance: null };
    expect(await call()).toMatchObject({ code: 'rate_limited', headers: { 'retry-after': '1', ratelimit: '"second";r=0;t=1' } });
    store.answer = { admitted: false, rejectedBy: 1, used: [1, 100], balance: null };
    expect(await call()).toMatchObject({ code: 'quota_exceeded', headers: { 'retry-after': String(6 * 3600 - 20), 'x-ratelimit-remaining': '0' } });
  });

  it('takes the price from the balance for live keys only, and names the balance that ran out', async () => {
    const live = setup({ gate: 'balance', unitPriceMicros: 2_000 });
    expect((await live.call('POST', '/v1/batch/x')).admitted).toBe(true);
    expect(live.store.takes[0]!.balance).toEqual({ key: 'slipway:mkt:balance:{sub_1}', costMicros: 10_000 });
    live.store.answer = { admitted: false, rejectedBy: 'balance', used: [], balance: 0 };
    expect(await live.call()).toMatchObject({ code: 'balance_exhausted', headers: {} });

    const cap = setup({ gate: 'balance', balanceKind: 'spend_cap', unitPriceMicros: 1 });
    cap.store.answer = { admitted: false, rejectedBy: 'balance', used: [], balance: 0 };
    expect(await cap.call()).toMatchObject({ code: 'spend_cap_reached', headers: { 'retry-after': String(Math.ceil((Date.parse('2027-01-01T00:00:00Z') - NOW) / 1000)) } });

    const test = setup({ gate: 'balance', unitPriceMicros: 2_000 }, { mode: 'test' });
    const out = await test.call();
    expect(out).toMatchObject({ admitted: true, usage: { mode: 'test' } });
    expect(test.store.calls.take).toBe(0); // no limits and no balance: test keys never pay
  });

  it('drops cached records on invalidation: a revoked key is refused at once', async () => {
    const { store, k, admission, call } = setup();
    expect((await call()).admitted).toBe(true);
    store.keys.delete(k.hash);
    expect((await call()).admitted).toBe(true); // still cached
    admission.invalidate({ keyHash: k.hash });
    expect(await call()).toMatchObject({ code: 'invalid_api_key' });
    store.subs.set('sub_1', subscriptionOf({ status: 'canceled' }));
    store.keys.set(k.hash, k.record);
    admission.invalidate({ all: true });
    expect(await call()).toMatchObject({ code: 'subscription_inactive' });
  });

  it('refuses with 503 while the usage backlog is full', async () => {
    const store = new FakeStore();
    const admission = new MarketplaceAdmission(store, { accepting: () => false });
    expect(await admission.admit(req({}), listingOf())).toMatchObject({ code: 'metering_unavailable', headers: { 'retry-after': '1' } });
  });
});
