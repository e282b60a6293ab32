import type { PriceTier } from '@slipway/contracts';

/** What one tier charges for a quantity. */
export interface TierCharge {
  /** 1-based position of the tier in the plan. */
  tier: number;
  /** First and last unit of the tier that were used (1-based, inclusive). */
  firstUnit: number;
  lastUnit: number;
  quantity: number;
  unitPriceMicros: bigint;
  flatMicros: bigint;
  amountMicros: bigint;
}

/**
 * Prices `units` by tiers, as Stripe and Lago define them.
 * - `graduated`: each unit at the price of the tier it falls in; a tier's flat fee once that
 *   tier holds at least one unit.
 * - `volume`: every unit at the price of the tier the total reaches, plus that tier's flat fee.
 * Zero units charge nothing in either mode (not even a first tier's flat fee: these tiers price
 * overage, and no overage is no charge). Tiers are in order; the last one should be open
 * (`upTo: null`); units past a closed last tier are priced at that last tier.
 */
export function rateTiers(units: number, tiers: readonly PriceTier[], mode: 'graduated' | 'volume'): TierCharge[] {
  if (!Number.isSafeInteger(units) || units < 0) throw new RangeError(`rateTiers: units must be a non-negative integer, got ${units}`);
  if (units === 0 || tiers.length === 0) return [];
  return mode === 'volume' ? volume(units, tiers) : graduated(units, tiers);
}

function charge(index: number, firstUnit: number, lastUnit: number, tier: PriceTier): TierCharge {
  const quantity = lastUnit - firstUnit + 1;
  const unitPriceMicros = BigInt(tier.unitPriceMicros);
  const flatMicros = BigInt(tier.flatMicros ?? 0);
  return { tier: index + 1, firstUnit, lastUnit, quantity, unitPriceMicros, flatMicros, amountMicros: BigInt(quantity) * unitPriceMicros + flatMicros };
}

function graduated(units: number, tiers: readonly PriceTier[]): TierCharge[] {
  const out: TierCharge[] = [];
  let done = 0;
  for (let i = 0; i < tiers.length && done < units; i++) {
    const tier = tiers[i]!;
    const last = i === tiers.length - 1 || tier.upTo === null ? units : Math.min(units, tier.upTo);
    if (last <= done) continue; // a tier whose bound is not above the previous one's holds nothing
    out.push(charge(i, done + 1, last, tier));
    done = last;
  }
  return out;
}

function volume(units: number, tiers: readonly PriceTier[]): TierCharge[] {
  const index = tiers.findIndex((t) => t.upTo === null || units <= t.upTo);
  const at = index === -1 ? tiers.length - 1 : index;
  return [charge(at, 1, units, tiers[at]!)];
}
