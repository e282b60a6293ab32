import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema, type GatewayConfig } from '@slipway/contracts';
import type { LimitDecision, LimitSubject } from './limit-types';
import { useLimitsFixture } from '../testing/limits-fixture.int-support';
import { reserveWithActions } from './reserve-with-actions';

const f = useLimitsFixture();

const models = {
  chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] },
  cheap: { routes: [{ provider: 'mock', model: 'mock-fast' }] },
};
const config = (budgets: unknown[]): GatewayConfig => gatewayConfigSchema.parse({ models, budgets });
const subject = (alias = 'chat'): LimitSubject => ({
  organizationId: f.org,
  projectId: 'p1',
  keyId: 'k1',
  alias,
  attribution: { feature: null, customer: null },
  monthlyKeyBudgetMicros: null,
});
const reservationOf = (d: LimitDecision) => {
  if (!d.ok) throw new Error(`expected a reservation, got ${JSON.stringify(d)}`);
  return d.reservation;
};

describe('reserveWithActions', () => {
  it('downgrades once the budget is spent, and serves the cheaper alias', async () => {
    const cfg = config([
      { name: 'chat-soft', scope: 'alias', match: 'chat', period: 'day', limitUsd: 0.01, action: 'downgrade', downgradeTo: 'cheap' },
    ]);
    reservationOf(await reserveWithActions(f.limits, cfg, subject(), { costMicros: 8_000, tokens: 1 }));
    expect(await reserveWithActions(f.limits, cfg, subject(), { costMicros: 8_000, tokens: 1 })).toEqual({
      ok: false,
      kind: 'budget',
      action: 'downgrade',
      downgradeTo: 'cheap',
      limitName: 'chat-soft',
    });
    expect(await reserveWithActions(f.limits, cfg, subject('cheap'), { costMicros: 8_000, tokens: 1 })).toMatchObject({ ok: true });
  });

  it('keeps counting downgraded requests against a project budget, and a blocking budget above it still blocks', async () => {
    const cfg = config([
      { name: 'soft', scope: 'project', period: 'day', limitUsd: 0.01, action: 'downgrade', downgradeTo: 'cheap' },
      { name: 'hard', scope: 'project', period: 'day', limitUsd: 0.02, action: 'block' },
    ]);
    reservationOf(await reserveWithActions(f.limits, cfg, subject(), { costMicros: 9_000, tokens: 1 }));
    expect(await reserveWithActions(f.limits, cfg, subject(), { costMicros: 9_000, tokens: 1 })).toMatchObject({
      action: 'downgrade',
      downgradeTo: 'cheap',
    });
    reservationOf(await reserveWithActions(f.limits, cfg, subject('cheap'), { costMicros: 9_000, tokens: 1 }));
    expect(await reserveWithActions(f.limits, cfg, subject('cheap'), { costMicros: 9_000, tokens: 1 })).toMatchObject({
      action: 'block',
      limitName: 'hard',
    });
  });

  it('queues until spend in flight settles lower, then reserves', async () => {
    const cfg = config([{ name: 'paced', scope: 'project', period: 'day', limitUsd: 0.01, action: 'queue', queueSeconds: 5 }]);
    const inFlight = reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 8_000, tokens: 1 }));
    const started = Date.now();
    const queued = reserveWithActions(f.limits, cfg, subject(), { costMicros: 5_000, tokens: 1 });
    setTimeout(() => void f.limits.settle(inFlight, { costMicros: 1_000, tokens: 1 }), 400);
    expect(await queued).toMatchObject({ ok: true });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(2_000);
    expect(await f.redis.client.get(`slipway:gw:{${f.org}}:p1:budget:project:p1:${dayKey()}`)).toBe('6000');
  });

  it('blocks once queueSeconds have passed without room', async () => {
    const cfg = config([{ name: 'paced', scope: 'project', period: 'day', limitUsd: 0.01, action: 'queue', queueSeconds: 1 }]);
    reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 8_000, tokens: 1 }));
    const started = Date.now();
    const d = await reserveWithActions(f.limits, cfg, subject(), { costMicros: 5_000, tokens: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(d).toMatchObject({ ok: false, kind: 'budget', action: 'block', limitName: 'paced' });
    expect(!d.ok && d.action === 'block' && d.message).toMatch(
      /^Budget "paced" \(\$0\.01 per day, UTC\) has \$0\.002 left for this project.*waited up to 1 s/,
    );
  });

  it('stops waiting when the caller aborts', async () => {
    const cfg = config([{ name: 'paced', scope: 'project', period: 'day', limitUsd: 0.01, action: 'queue', queueSeconds: 30 }]);
    reservationOf(await f.limits.reserve(cfg, subject(), { costMicros: 8_000, tokens: 1 }));
    const started = Date.now();
    const d = await reserveWithActions(f.limits, cfg, subject(), { costMicros: 5_000, tokens: 1 }, AbortSignal.timeout(300));
    expect(d).toMatchObject({ ok: false, action: 'block', limitName: 'paced' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('blocks at once a queued request bigger than the whole budget', async () => {
    const cfg = config([{ name: 'paced', scope: 'project', period: 'day', limitUsd: 0.01, action: 'queue', queueSeconds: 30 }]);
    const started = Date.now();
    expect(await reserveWithActions(f.limits, cfg, subject(), { costMicros: 20_000, tokens: 1 })).toMatchObject({
      ok: false,
      action: 'block',
      limitName: 'paced',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

function dayKey(): string {
  const d = new Date();
  return `d${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}
