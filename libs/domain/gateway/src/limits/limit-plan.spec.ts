import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema, type GatewayConfig } from '@slipway/contracts';
import { planLimits } from './limit-plan';
import type { LimitSubject } from './limit-types';
import { minuteWindow, periodWindow } from './windows';

const now = new Date('2025-03-31T23:59:30.500Z');
const subject: LimitSubject = {
  organizationId: 'org1',
  projectId: 'proj1',
  keyId: 'key1',
  alias: 'chat',
  attribution: { feature: 'search', customer: 'acme:eu' },
  monthlyKeyBudgetMicros: null,
};
const config = (raw: unknown): GatewayConfig => gatewayConfigSchema.parse(raw);
const cheap = { cheap: { routes: [{ provider: 'mock', model: 'mock-fast' }] } };

describe('periodWindow / minuteWindow', () => {
  it('names UTC days and months and ends them at the next UTC midnight', () => {
    expect(periodWindow('day', now)).toEqual({
      key: 'd20250331',
      startMs: Date.parse('2025-03-31T00:00:00Z'),
      endMs: Date.parse('2025-04-01T00:00:00Z'),
      expireAt: Date.parse('2025-04-01T01:00:00Z') / 1000,
    });
    expect(periodWindow('month', now)).toMatchObject({ key: 'm202503', startMs: Date.parse('2025-03-01T00:00:00Z'), endMs: Date.parse('2025-04-01T00:00:00Z') });
    expect(periodWindow('month', new Date('2025-12-15T00:00:00Z')).endMs).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('keeps minute counters 120 s from the window start', () => {
    const w = minuteWindow(now);
    expect(w.endMs).toBe(Date.parse('2025-04-01T00:00:00Z'));
    expect(w.expireAt).toBe(Date.parse('2025-03-31T23:59:00Z') / 1000 + 120);
  });
});

describe('planLimits', () => {
  it('keys every counter under the tenant and encodes request values', () => {
    const plan = planLimits(
      config({ budgets: [{ scope: 'customer', period: 'day', limitUsd: 1 }], limits: { customer: { requestsPerMinute: 5 } } }),
      subject,
      { costMicros: 10, tokens: 7 },
      now,
    );
    expect(plan.counters.map((c) => c.key)).toEqual([
      'slipway:gw:{org1}:proj1:budget:customer:acme%3Aeu:d20250331',
      `slipway:gw:{org1}:proj1:rate:customer:acme%3Aeu:req:t${Math.floor(now.getTime() / 60_000)}`,
    ]);
    expect(plan.counters[0]).toMatchObject({ incr: 10, settles: 'cost', topKey: 'slipway:gw:{org1}:proj1:budget-top:customer:d20250331' });
    expect(plan.counters[1]).toMatchObject({ incr: 1, settles: null, topKey: null });
  });

  it('applies a budget with match only to that value, and one without match to every value', () => {
    const raw = {
      budgets: [
        { scope: 'feature', match: 'chatbot', period: 'day', limitUsd: 1 },
        { scope: 'feature', period: 'month', limitUsd: 2 },
      ],
    };
    const plan = planLimits(config(raw), subject, { costMicros: 1, tokens: 1 }, now);
    expect(plan.checks).toHaveLength(1);
    expect(plan.counters[0]!.key).toContain(':budget:feature:search:m202503');
    const matching = planLimits(
      config(raw),
      { ...subject, attribution: { feature: 'chatbot', customer: null } },
      { costMicros: 1, tokens: 1 },
      now,
    );
    expect(matching.checks.map((c) => c.rule.kind === 'budget' && c.rule.name)).toEqual(['feature:chatbot/day', 'feature/month']);
  });

  it('skips attribution budgets and customer limits when the request has no such attribution', () => {
    const raw = {
      budgets: [
        { scope: 'customer', period: 'day', limitUsd: 1 },
        { scope: 'alias', period: 'day', limitUsd: 1 },
      ],
      limits: { customer: { tokensPerMinute: 100 } },
    };
    const plan = planLimits(
      config(raw),
      { ...subject, alias: null, attribution: { feature: null, customer: null } },
      { costMicros: 1, tokens: 1 },
      now,
    );
    expect(plan.counters).toEqual([]);
  });

  it('shares one counter between budgets of the same scope, value and period, checking each limit', () => {
    const raw = {
      budgets: [
        { scope: 'project', period: 'day', limitUsd: 5 },
        { name: 'hard', scope: 'project', period: 'day', limitUsd: 10 },
      ],
    };
    const plan = planLimits(config(raw), subject, { costMicros: 3, tokens: 1 }, now);
    expect(plan.counters).toHaveLength(1);
    expect(plan.checks.map((c) => [c.counter, c.limit])).toEqual([
      [0, 5_000_000],
      [0, 10_000_000],
    ]);
  });

  it('counts a request already on the downgrade target but does not turn it away by that budget', () => {
    const raw = { models: cheap, budgets: [{ scope: 'project', period: 'day', limitUsd: 5, action: 'downgrade', downgradeTo: 'cheap' }] };
    const plan = planLimits(config(raw), { ...subject, alias: 'cheap' }, { costMicros: 3, tokens: 1 }, now);
    expect(plan.counters).toHaveLength(1);
    expect(plan.checks).toEqual([]);
  });

  it('adds the key monthly budget as a blocking key budget', () => {
    const plan = planLimits(config({}), { ...subject, monthlyKeyBudgetMicros: 2_500_000 }, { costMicros: 3.2, tokens: 1 }, now);
    expect(plan.counters[0]).toMatchObject({ key: 'slipway:gw:{org1}:proj1:budget:key:key1:m202503', incr: 4 });
    expect(plan.checks[0]).toMatchObject({
      limit: 2_500_000,
      rule: { kind: 'budget', name: 'key-monthly-budget', action: 'block', period: 'month' },
    });
  });
});
