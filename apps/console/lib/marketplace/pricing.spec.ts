import type { PlanPricing } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { limitLines, lowestPriceLabel, priceDetails, priceSummary, tierProblems, tierRows } from './pricing';

const free: PlanPricing = { kind: 'free' };
const perCall: PlanPricing = { kind: 'per_call', unitPriceMicros: 2_000 };
const pro: PlanPricing = {
  kind: 'subscription',
  monthlyFeeMicros: 29_000_000,
  includedUnits: 10_000,
  overage: {
    mode: 'graduated',
    tiers: [
      { upTo: 1_000, unitPriceMicros: 1_000, flatMicros: 0 },
      { upTo: null, unitPriceMicros: 500, flatMicros: 0 },
    ],
  },
};

describe('plan prices in words', () => {
  it('summarises each kind on one line', () => {
    expect(priceSummary(free)).toBe('Free');
    expect(priceSummary(perCall)).toBe('$0.002 per call');
    expect(priceSummary(pro)).toBe('$29 / month');
    expect(
      priceSummary({
        kind: 'per_token',
        inputPerMillionMicros: 3_000_000,
        outputPerMillionMicros: 15_000_000,
        cachedPerMillionMicros: 300_000,
        gatewayCostMarkupPercent: 20,
      }),
    ).toBe('Model cost + 20 %');
    expect(priceSummary({ kind: 'prepaid', unitPriceMicros: 500 })).toBe('Prepaid, $0.50 per 1,000 calls');
  });

  it('labels a listing card with its cheapest entry point', () => {
    expect(lowestPriceLabel([{ pricing: pro }, { pricing: perCall }])).toBe('From $0.002 per call');
    expect(lowestPriceLabel([{ pricing: pro }, { pricing: free }])).toBe('Free plan available');
    expect(lowestPriceLabel([{ pricing: free }])).toBe('Free');
    expect(lowestPriceLabel([])).toBe('No public plan yet');
  });

  it('details a subscription: fee, included calls and its overage mode', () => {
    expect(priceDetails(pro)).toEqual([
      { label: 'Monthly fee', value: '$29' },
      { label: 'Included calls', value: '10,000' },
      { label: 'Overage', value: 'Graduated tiers' },
    ]);
    expect(priceDetails({ ...pro, overage: null } as PlanPricing)[2]!.value).toMatch(/calls stop/);
  });

  it('lists the limits that are set, or says there are none', () => {
    expect(limitLines({ perSecond: 10, perMinute: null, perDay: 5, perMonth: 100_000 })).toEqual([
      '10 per second',
      '5 per day (UTC)',
      '100,000 per month',
    ]);
    expect(limitLines({ perSecond: null, perMinute: null, perDay: null, perMonth: null })).toEqual(['No limits']);
  });
});

describe('tier tables', () => {
  it('numbers tier ranges from the previous bound, the last one open-ended', () => {
    expect(
      tierRows([
        { upTo: 1_000, unitPriceMicros: 1_000, flatMicros: 0 },
        { upTo: 10_000, unitPriceMicros: 800, flatMicros: 5_000_000 },
        { upTo: null, unitPriceMicros: 500, flatMicros: 0 },
      ]),
    ).toEqual([
      { range: '1 – 1,000', unitPrice: '$0.001 per call', flat: null },
      { range: '1,001 – 10,000', unitPrice: '$0.80 per 1,000 calls', flat: '$5' },
      { range: '10,001 +', unitPrice: '$0.50 per 1,000 calls', flat: null },
    ]);
  });

  it('names each problem of a tier list being edited', () => {
    expect(
      tierProblems([
        { upTo: 100, unitPriceMicros: 1, flatMicros: 0 },
        { upTo: null, unitPriceMicros: 1, flatMicros: 0 },
      ]),
    ).toEqual([]);
    expect(tierProblems([])).toEqual(['Add at least one tier.']);
    expect(
      tierProblems([
        { upTo: 100, unitPriceMicros: 1, flatMicros: 0 },
        { upTo: 50, unitPriceMicros: 1, flatMicros: 0 },
      ]),
    ).toEqual(['Tier 2 must end above 100.', 'The last tier must be open-ended (no upper bound).']);
    expect(
      tierProblems([
        { upTo: null, unitPriceMicros: 1, flatMicros: 0 },
        { upTo: null, unitPriceMicros: 1, flatMicros: 0 },
      ])[0],
    ).toMatch(/only the last tier/);
  });
});
