import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '@slipway/contracts';
import type { RedisService } from '@slipway/redis';
import { GatewayLimits } from './gateway-limits';
import type { LimitSubject } from './limit-types';

/** A RedisService that records every script call and answers with `answer`. */
function fakeRedis(answer: () => unknown) {
  const calls: string[][] = [];
  const redis = {
    evalScript: async (_script: unknown, keys: readonly string[]) => {
      calls.push([...keys]);
      return answer();
    },
  } as unknown as RedisService;
  return { redis, calls };
}

const subject: LimitSubject = {
  organizationId: 'o',
  projectId: 'p',
  keyId: 'k',
  alias: 'chat',
  attribution: { feature: null, customer: null },
  monthlyKeyBudgetMicros: null,
};
const estimate = { costMicros: 1_000, tokens: 100 };

describe('GatewayLimits fast path', () => {
  it('reserves nothing and never calls Redis when no budget, limit or key budget exists', async () => {
    const { redis, calls } = fakeRedis(() => []);
    const limits = new GatewayLimits(redis);
    const decision = await limits.reserve(
      gatewayConfigSchema.parse({ models: { chat: { routes: [{ provider: 'mock', model: 'mock-fast' }] } } }),
      subject,
      estimate,
    );
    expect(decision).toEqual({ ok: true, reservation: { empty: true } });
    if (decision.ok) await limits.settle(decision.reservation, { costMicros: 5_000, tokens: 900 });
    expect(calls).toEqual([]);
  });

  it('does not call Redis when the only budgets are for an attribution the request lacks', async () => {
    const { redis, calls } = fakeRedis(() => []);
    const config = gatewayConfigSchema.parse({ budgets: [{ scope: 'customer', period: 'day', limitUsd: 1 }] });
    const decision = await new GatewayLimits(redis).reserve(config, subject, estimate);
    expect(decision.ok && decision.reservation.empty).toBe(true);
    expect(calls).toEqual([]);
  });

  it('calls Redis once a key budget applies', async () => {
    const { redis, calls } = fakeRedis(() => [0, '1700000000', '1']);
    const decision = await new GatewayLimits(redis).reserve(
      gatewayConfigSchema.parse({}),
      { ...subject, monthlyKeyBudgetMicros: 5_000_000 },
      estimate,
    );
    expect(decision.ok && decision.reservation.empty).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('lets requests through when Redis does not answer and only rate limits apply (they fail open)', async () => {
    const { redis } = fakeRedis(() => {
      throw new Error('Connection is closed.');
    });
    const decision = await new GatewayLimits(redis).reserve(
      gatewayConfigSchema.parse({ limits: { key: { requestsPerMinute: 1 } } }),
      subject,
      estimate,
    );
    expect(decision.ok).toBe(true);
  });

  it('refuses a budgeted request with a 503-kind decision when Redis does not answer (budgets fail closed)', async () => {
    const { redis } = fakeRedis(() => {
      throw new Error('Connection is closed.');
    });
    const decision = await new GatewayLimits(redis).reserve(
      gatewayConfigSchema.parse({ budgets: [{ name: 'daily', scope: 'project', period: 'day', limitUsd: 1 }], limits: { key: { requestsPerMinute: 1 } } }),
      subject,
      estimate,
    );
    expect(decision).toMatchObject({ ok: false, kind: 'unavailable', action: 'block', limitName: 'daily', retryAfterSeconds: 5 });
    expect(!decision.ok && decision.action === 'block' && decision.message).toMatch(/Budget "daily" cannot be checked right now \(Redis did not answer\)/);
  });

  it('refuses a key with a monthly budget when Redis does not answer', async () => {
    const { redis } = fakeRedis(() => {
      throw new Error('Connection is closed.');
    });
    const decision = await new GatewayLimits(redis).reserve(gatewayConfigSchema.parse({}), { ...subject, monthlyKeyBudgetMicros: 5_000_000 }, estimate);
    expect(decision).toMatchObject({ ok: false, kind: 'unavailable' });
  });
});
