import { describe, expect, it } from 'vitest';
import type { PriceTier } from '@slipway/contracts';
import { rateTiers } from './tiers';

const usd = (dollars: number) => Math.round(dollars * 1_000_000);
const total = (charges: { amountMicros: bigint }[]) => charges.reduce((s, c) => s + c.amountMicros, 0n);

// The classic three tiers of the pricing docs (Zuplo's monetization guide; Stripe's and Lago's read the same way).
const THREE: PriceTier[] = [
  { upTo: 1_000, unitPriceMicros: usd(0.1), flatMicros: 0 },
  { upTo: 10_000, unitPriceMicros: usd(0.05), flatMicros: 0 },
  { upTo: null, unitPriceMicros: usd(0.01), flatMicros: 0 },
];

describe('rateTiers', () => {
  it('graduated: 15,000 units cost 1,000 × $0.10 + 9,000 × $0.05 + 5,000 × $0.01 = $600', () => {
    const charges = rateTiers(15_000, THREE, 'graduated');
    expect(charges.map((c) => [c.tier, c.firstUnit, c.lastUnit, c.quantity])).toEqual([
      [1, 1, 1_000, 1_000],
      [2, 1_001, 10_000, 9_000],
      [3, 10_001, 15_000, 5_000],
    ]);
    expect(total(charges)).toBe(600_000_000n);
  });

  it('volume: 15,000 units all cost the price of the tier reached, 15,000 × $0.01 = $150', () => {
    const charges = rateTiers(15_000, THREE, 'volume');
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ tier: 3, quantity: 15_000, amountMicros: 150_000_000n });
  });

  it('graduated with cheaper tiers: 15,000 requests at $0.01 / $0.008 / $0.005 = $107 (Autumn’s example)', () => {
    const tiers: PriceTier[] = [
      { upTo: 1_000, unitPriceMicros: usd(0.01), flatMicros: 0 },
      { upTo: 10_000, unitPriceMicros: usd(0.008), flatMicros: 0 },
      { upTo: null, unitPriceMicros: usd(0.005), flatMicros: 0 },
    ];
    expect(total(rateTiers(15_000, tiers, 'graduated'))).toBe(107_000_000n);
  });

  it('charges a graduated tier’s flat fee only once the tier holds a unit', () => {
    const tiers: PriceTier[] = [
      { upTo: 5, unitPriceMicros: usd(1), flatMicros: usd(10) },
      { upTo: null, unitPriceMicros: usd(0.5), flatMicros: usd(20) },
    ];
    expect(total(rateTiers(5, tiers, 'graduated'))).toBe(15_000_000n); // 5 × $1 + $10, tier 2 not entered
    expect(total(rateTiers(6, tiers, 'graduated'))).toBe(35_500_000n); // + 1 × $0.50 + $20
  });

  it('charges a volume tier’s flat fee with its unit price, on the boundary unit included', () => {
    const tiers: PriceTier[] = [
      { upTo: 1_000, unitPriceMicros: usd(0.1), flatMicros: usd(5) },
      { upTo: null, unitPriceMicros: usd(0.05), flatMicros: usd(2) },
    ];
    expect(rateTiers(1_000, tiers, 'volume')[0]).toMatchObject({ tier: 1, amountMicros: 105_000_000n });
    expect(rateTiers(1_001, tiers, 'volume')[0]).toMatchObject({ tier: 2, amountMicros: 52_050_000n });
  });

  it('charges nothing for no units, and prices units past a closed last tier at that tier', () => {
    expect(rateTiers(0, THREE, 'graduated')).toEqual([]);
    expect(rateTiers(0, THREE, 'volume')).toEqual([]);
    const closed: PriceTier[] = [{ upTo: 10, unitPriceMicros: 3, flatMicros: 0 }];
    expect(total(rateTiers(12, closed, 'graduated'))).toBe(36n);
    expect(total(rateTiers(12, closed, 'volume'))).toBe(36n);
  });

  it('refuses a fractional or negative quantity', () => {
    expect(() => rateTiers(1.5, THREE, 'graduated')).toThrow(RangeError);
    expect(() => rateTiers(-1, THREE, 'volume')).toThrow(RangeError);
  });
});
