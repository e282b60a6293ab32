import { describe, expect, it } from 'vitest';
import { diffHash, edgeConsumerKeyOf, edgeSubscriptionOf, type SubscriptionRecordSource } from './edge-records';

const subscription = (overrides: Partial<SubscriptionRecordSource> = {}): SubscriptionRecordSource => ({
  id: 's1',
  listingId: 'l1',
  consumerOrganizationId: 'o1',
  planId: 'p1',
  planVersionId: 'v1',
  status: 'ACTIVE',
  currentPeriodStart: new Date('2026-12-01T00:00:00Z'),
  currentPeriodEnd: new Date('2027-01-01T00:00:00Z'),
  spendCapMicros: null,
  plan: { slug: 'pro' },
  planVersion: { pricing: { kind: 'per_call', unitPriceMicros: 400 }, limits: { perSecond: 5, perMinute: null, perDay: 100, perMonth: null }, operations: null },
  ...overrides,
});

describe('edge records', () => {
  it('gates on balance for prepaid plans and for any subscription with a spend cap, pricing per-call and prepaid units', () => {
    expect(edgeSubscriptionOf(subscription())).toMatchObject({ gate: 'none', unitPriceMicros: 400, status: 'active', periodStart: '2026-12-01T00:00:00.000Z', limits: { perSecond: 5, perDay: 100 } });
    expect(edgeSubscriptionOf(subscription({ spendCapMicros: 1_000_000n }))).toMatchObject({ gate: 'balance', unitPriceMicros: 400 });
    const prepaid = { pricing: { kind: 'prepaid', unitPriceMicros: 250 }, limits: { perSecond: null, perMinute: null, perDay: null, perMonth: null }, operations: [{ method: 'GET', path: '/v1/**' }] };
    expect(edgeSubscriptionOf(subscription({ planVersion: prepaid }))).toMatchObject({ gate: 'balance', unitPriceMicros: 250, operations: [{ method: 'GET', path: '/v1/**' }] });
    const monthly = { pricing: { kind: 'subscription', monthlyFeeMicros: 9_000_000, includedUnits: 1000, overage: null }, limits: prepaid.limits, operations: null };
    expect(edgeSubscriptionOf(subscription({ planVersion: monthly, spendCapMicros: 5n }))).toMatchObject({ gate: 'balance', unitPriceMicros: 0 });
    expect(edgeSubscriptionOf(subscription({ status: 'PAST_DUE' })).status).toBe('past_due');
    expect(edgeSubscriptionOf(subscription({ status: 'CANCELED' })).status).toBe('canceled');
  });

  it('fails closed on stored terms that no longer parse: no operation allowed', () => {
    const record = edgeSubscriptionOf(subscription({ planVersion: { pricing: { kind: 'barter' }, limits: {}, operations: null } }));
    expect(record.operations).toEqual([]);
    expect(record.limits.perSecond).toBe(1);
  });

  it('has no record for a revoked key, and carries a rerolled key’s overlap end', () => {
    const key = { id: 'k1', subscriptionId: 's1', tokenHash: 'h', mode: 'TEST' as const, expiresAt: new Date('2026-12-08T00:00:00Z'), revokedAt: null, subscription: { listingId: 'l1', consumerOrganizationId: 'o1' } };
    expect(edgeConsumerKeyOf(key)).toEqual({ keyId: 'k1', subscriptionId: 's1', listingId: 'l1', consumerId: 'o1', mode: 'test', expiresAt: '2026-12-08T00:00:00.000Z' });
    expect(edgeConsumerKeyOf({ ...key, revokedAt: new Date() })).toBeNull();
  });

  it('diffs a hash: missing and different fields written, unknown ones deleted, equal ones left alone', () => {
    expect(diffHash(new Map([['a', '1'], ['b', '2'], ['c', '3']]), { a: '1', b: 'old', z: '9' })).toEqual({ set: { b: '2', c: '3' }, del: ['z'] });
  });
});
