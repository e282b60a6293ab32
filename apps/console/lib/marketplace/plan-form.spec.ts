import { describe, expect, it } from 'vitest';
import { EMPTY_PLAN_FORM, planFormFrom, toTerms } from './plan-form';

describe('plan editor form', () => {
  it('a free plan with a daily quota', () => {
    expect(toTerms({ ...EMPTY_PLAN_FORM, limits: { perSecond: '2', perMinute: '', perDay: '5', perMonth: '' } })).toEqual({
      ok: true,
      pricing: { kind: 'free' },
      limits: { perSecond: 2, perMinute: null, perDay: 5, perMonth: null },
    });
  });

  it('a per-call price typed in USD becomes exact micro-USD', () => {
    const r = toTerms({ ...EMPTY_PLAN_FORM, kind: 'per_call', unitPrice: '0.002' });
    expect(r).toMatchObject({ ok: true, pricing: { kind: 'per_call', unitPriceMicros: 2_000 } });
  });

  it('a subscription with graduated tiers, and a round trip through planFormFrom', () => {
    const form = {
      ...EMPTY_PLAN_FORM,
      kind: 'subscription' as const,
      monthlyFee: '29',
      includedUnits: '1000',
      overage: 'graduated' as const,
      tiers: [
        { upTo: '5000', unitPrice: '0.001', flat: '' },
        { upTo: '', unitPrice: '0.0005', flat: '1' },
      ],
    };
    const r = toTerms(form);
    expect(r).toEqual({
      ok: true,
      pricing: {
        kind: 'subscription',
        monthlyFeeMicros: 29_000_000,
        includedUnits: 1000,
        overage: {
          mode: 'graduated',
          tiers: [
            { upTo: 5000, unitPriceMicros: 1_000, flatMicros: 0 },
            { upTo: null, unitPriceMicros: 500, flatMicros: 1_000_000 },
          ],
        },
      },
      limits: { perSecond: null, perMinute: null, perDay: null, perMonth: null },
    });
    if (r.ok) expect(toTerms(planFormFrom(r.pricing, r.limits))).toEqual(r);
  });

  it('names each bad field', () => {
    const r = toTerms({
      ...EMPTY_PLAN_FORM,
      kind: 'subscription',
      monthlyFee: 'lots',
      includedUnits: '',
      overage: 'volume',
      tiers: [{ upTo: '10', unitPrice: '1', flat: '' }],
      limits: { perSecond: '0', perMinute: '1.5', perDay: '', perMonth: '' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual({
        monthlyFee: 'Write an amount in USD, e.g. 0.002 or 29.',
        includedUnits: 'Write a whole number.',
        tiers: 'The last tier must be open-ended (no upper bound).',
        perSecond: 'Leave it empty for no limit, or use at least 1.',
        perMinute: 'Write a whole number.',
      });
  });

  it('per token: a markup makes the token prices optional', () => {
    expect(toTerms({ ...EMPTY_PLAN_FORM, kind: 'per_token', markupPercent: '20' })).toMatchObject({
      ok: true,
      pricing: {
        kind: 'per_token',
        inputPerMillionMicros: 0,
        outputPerMillionMicros: 0,
        cachedPerMillionMicros: 0,
        gatewayCostMarkupPercent: 20,
      },
    });
    expect(toTerms({ ...EMPTY_PLAN_FORM, kind: 'per_token' }).ok).toBe(false);
  });
});
