import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema, type GatewayConfig } from '@slipway/contracts';
import { attributionOf } from './attribution';
import type { LimitDecision, LimitSubject } from './limit-types';
import { useLimitsFixture } from '../testing/limits-fixture.int-support';

const f = useLimitsFixture();

// Far enough ahead that counters written "now" are not already past their EXPIREAT.
const at = (iso: string) => new Date(`2031-05-10T${iso}Z`);
const config = (raw: unknown): GatewayConfig => gatewayConfigSchema.parse(raw);
const subject = (over: Partial<LimitSubject> = {}): LimitSubject => ({
  organizationId: f.org,
  projectId: 'p1',
  keyId: 'k1',
  alias: 'chat',
  attribution: { feature: null, customer: null },
  monthlyKeyBudgetMicros: null,
  ...over,
});
const customer = (c: string) => subject({ attribution: { feature: null, customer: c } });
const key = (rest: string) => `slipway:gw:{${f.org}}:p1:${rest}`;
const counter = async (rest: string) => f.redis.client.get(key(rest));
const reservationOf = (d: LimitDecision) => {
  if (!d.ok) throw new Error(`expected a reservation, got ${JSON.stringify(d)}`);
  return d.reservation;
};

describe('GatewayLimits against Redis', () => {
  it('reserves the estimate on every counter and settles each to the real usage', async () => {
    const now = at('10:00:30');
    const minute = `t${Math.floor(now.getTime() / 60_000)}`;
    const cfg = config({
      budgets: [{ scope: 'project', period: 'day', limitUsd: 1 }],
      limits: { key: { requestsPerMinute: 10, tokensPerMinute: 1_000 } },
    });
    const reservation = reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 200_000, tokens: 500 }, now));
    expect([
      await counter('budget:project:p1:d20310510'),
      await counter(`rate:key:k1:tok:${minute}`),
      await counter(`rate:key:k1:req:${minute}`),
    ]).toEqual(['200000', '500', '1']);

    await f.limits.settle(reservation, { costMicros: 50_000, tokens: 120 });
    await f.limits.settle(reservation, { costMicros: 50_000, tokens: 120 }); // a second settle changes nothing
    expect([
      await counter('budget:project:p1:d20310510'),
      await counter(`rate:key:k1:tok:${minute}`),
      await counter(`rate:key:k1:req:${minute}`),
    ]).toEqual(['50000', '120', '1']);
    expect(await f.limits.usage(cfg, subject(), now)).toEqual([
      { name: 'project/day', scope: 'project', match: null, period: 'day', limitUsd: 1, spentUsd: 0.05, action: 'block' },
    ]);
    expect(await f.redis.client.ttl(key('budget:project:p1:d20310510'))).toBeGreaterThan(0);
  });

  it('moves no counter when another limit rejects', async () => {
    const now = at('10:00:00');
    const cfg = config({
      budgets: [
        { scope: 'project', period: 'day', limitUsd: 1 },
        { name: 'per-customer', scope: 'customer', period: 'day', limitUsd: 0.1 },
      ],
    });
    const d = await f.limits.reserve(cfg, customer('acme'), { costMicros: 200_000, tokens: 10 }, now);
    expect(d).toMatchObject({ ok: false, kind: 'budget', action: 'block', limitName: 'per-customer' });
    // Created from the durable records (nothing spent here) before the check, then left unmoved.
    expect(await counter('budget:project:p1:d20310510')).toBe('0');
    expect(await counter('budget:customer:acme:d20310510')).toBe('0');

    const rated = config({ budgets: [{ scope: 'project', period: 'day', limitUsd: 1 }], limits: { key: { requestsPerMinute: 1 } } });
    await f.limits.reserve(rated, subject(), { costMicros: 1_000, tokens: 10 }, now);
    expect(await f.limits.reserve(rated, subject(), { costMicros: 1_000, tokens: 10 }, now)).toMatchObject({ ok: false, kind: 'rate' });
    expect(await counter('budget:project:p1:d20310510')).toBe('1000');
  });

  it('blocks with a message naming the budget, period and limit, retrying at the end of the day', async () => {
    const cfg = config({ budgets: [{ name: 'daily-cap', scope: 'project', period: 'day', limitUsd: 0.5 }] });
    reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 450_000, tokens: 10 }, at('22:00:00')));
    const d = await f.limits.reserve(cfg, subject(), { costMicros: 100_000, tokens: 10 }, at('22:00:00'));
    expect(d).toMatchObject({ ok: false, kind: 'budget', action: 'block', limitName: 'daily-cap', retryAfterSeconds: 7_200 });
    expect(!d.ok && d.action === 'block' && d.message).toBe(
      'Budget "daily-cap" ($0.50 per day, UTC) has $0.05 left for this project, and this request may cost up to $0.10. It resets at 2031-05-11T00:00:00Z.',
    );
    reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 50_000, tokens: 10 }, at('23:59:59.100')));
    const spent = await f.limits.reserve(cfg, subject(), { costMicros: 0, tokens: 10 }, at('23:59:59.100'));
    expect(spent).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect(!spent.ok && spent.action === 'block' && spent.message).toBe(
      'Budget "daily-cap" ($0.50 per day, UTC) is spent: this project has used $0.50. It resets at 2031-05-11T00:00:00Z.',
    );
  });

  it('blocks a rate limit until the end of the minute', async () => {
    const now = at('10:00:30.500');
    const cfg = config({ limits: { key: { requestsPerMinute: 2 } } });
    for (let i = 0; i < 2; i++) reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 1, tokens: 1 }, now));
    const d = await f.limits.reserve(cfg, subject(), { costMicros: 1, tokens: 1 }, now);
    expect(d).toMatchObject({ ok: false, kind: 'rate', action: 'block', limitName: 'key.requestsPerMinute', retryAfterSeconds: 30 });
    expect(!d.ok && d.action === 'block' && d.message).toBe(
      'Rate limit reached: this key may use 2 requests per minute. 2 used in this minute. Try again in 30 s.',
    );
    expect(await f.limits.reserve(cfg, subject(), { costMicros: 1, tokens: 1 }, at('10:01:00'))).toMatchObject({ ok: true });
  });

  it('counts tokens per minute by the reservation, then by the real total', async () => {
    const now = at('10:00:00');
    const cfg = config({ limits: { customer: { tokensPerMinute: 1_000 } } });
    const first = reservationOf(await f.limits.reserve(cfg, customer('acme'), { costMicros: 1, tokens: 900 }, now));
    expect(await f.limits.reserve(cfg, customer('acme'), { costMicros: 1, tokens: 200 }, now)).toMatchObject({
      ok: false,
      kind: 'rate',
      limitName: 'customer.tokensPerMinute',
    });
    await f.limits.settle(first, { costMicros: 1, tokens: 300 });
    expect(await f.limits.reserve(cfg, customer('acme'), { costMicros: 1, tokens: 200 }, now)).toMatchObject({ ok: true });
  });

  it('keeps a budget per customer', async () => {
    const now = at('10:00:00');
    const cfg = config({ budgets: [{ scope: 'customer', period: 'month', limitUsd: 0.01 }] });
    reservationOf(await f.limits.reserve(cfg, customer('a'), { costMicros: 8_000, tokens: 1 }, now));
    reservationOf(await f.limits.reserve(cfg, customer('b'), { costMicros: 6_000, tokens: 1 }, now));
    const d = await f.limits.reserve(cfg, customer('a'), { costMicros: 8_000, tokens: 1 }, now);
    expect(!d.ok && d.action === 'block' && d.message).toContain(
      'Budget "customer/month" ($0.01 per month, UTC) has $0.002 left for customer "a"',
    );
    expect(await f.limits.reserve(cfg, customer('b'), { costMicros: 4_000, tokens: 1 }, now)).toMatchObject({ ok: true });
    // Usage of a budget that applies to each customer shows the highest spender.
    expect((await f.limits.usage(cfg, subject(), now))[0]).toMatchObject({ name: 'customer/month', match: null, spentUsd: 0.01 });
  });

  it('counts a customer the same whether named by header, metadata.user_id or user', async () => {
    const now = at('10:00:00');
    const cfg = config({ budgets: [{ scope: 'customer', period: 'day', limitUsd: 0.01 }] });
    const asked = [
      attributionOf({ 'x-slipway-customer': 'c-7' }, 'openai', {}),
      attributionOf({}, 'anthropic', { metadata: { user_id: 'c-7' } }),
      attributionOf({}, 'openai', { user: 'c-7' }),
    ];
    for (const attribution of asked)
      reservationOf(await f.limits.reserve(cfg, subject({ attribution }), { costMicros: 3_000, tokens: 1 }, now));
    expect(await counter('budget:customer:c-7:d20310510')).toBe('9000');
  });

  it('enforces the key monthly budget for that key only', async () => {
    const now = at('10:00:00');
    const capped = subject({ monthlyKeyBudgetMicros: 10_000 });
    reservationOf(await f.limits.reserve(config({}), capped, { costMicros: 6_000, tokens: 1 }, now));
    const d = await f.limits.reserve(config({}), capped, { costMicros: 6_000, tokens: 1 }, now);
    expect(d).toMatchObject({ ok: false, kind: 'budget', action: 'block', limitName: 'key-monthly-budget' });
    expect(!d.ok && d.action === 'block' && d.message).toContain(
      'Budget "key-monthly-budget" ($0.01 per month, UTC) has $0.004 left for this key',
    );
    expect(
      await f.limits.reserve(config({}), subject({ keyId: 'k2', monthlyKeyBudgetMicros: 10_000 }), { costMicros: 6_000, tokens: 1 }, now),
    ).toMatchObject({ ok: true });
  });

  it('lets exactly as many parallel requests through as the limit fits', async () => {
    const now = at('10:00:00');
    const cfg = config({ budgets: [{ scope: 'project', period: 'day', limitUsd: 0.01 }] });
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () => f.limits.reserve(cfg, subject(), { costMicros: 1_000, tokens: 1 }, now)),
    );
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
    expect(await counter('budget:project:p1:d20310510')).toBe('10000');
  });

  it('never settles a counter below zero', async () => {
    const now = at('10:00:00');
    const cfg = config({ budgets: [{ scope: 'project', period: 'day', limitUsd: 1 }] });
    const reservation = reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 5_000, tokens: 1 }, now));
    await f.redis.client.set(key('budget:project:p1:d20310510'), '1000', 'KEEPTTL'); // e.g. corrected by an operator
    await f.limits.settle(reservation, { costMicros: 0, tokens: 0 });
    expect(await counter('budget:project:p1:d20310510')).toBe('0');
  });
});
