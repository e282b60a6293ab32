import type { PlanPricing } from '@slipway/contracts';
import type { RatedInvoice } from '../rating';

/**
 * What the edge may still take from a subscription's balance key this period, from the truth
 * (stored events, rated) — null when the edge does not gate it by balance.
 * - spend cap: the cap minus the period's charges so far (tax included);
 * - prepaid: the credits minus what prepaid usage cost.
 * Both: the smaller. `inFlightMicros` (admitted calls still in the stream) is taken off too.
 */
export function edgeBalanceTruth(opts: { spendCapMicros: bigint | null; pricingInForce: PlanPricing | null; creditBalanceMicros: bigint; rated: RatedInvoice; inFlightMicros: bigint }): bigint | null {
  const limits: bigint[] = [];
  if (opts.spendCapMicros !== null) limits.push(opts.spendCapMicros - opts.rated.totalMicros);
  if (opts.pricingInForce?.kind === 'prepaid') limits.push(opts.creditBalanceMicros - opts.rated.prepaidChargesMicros);
  if (limits.length === 0) return null;
  return limits.reduce((a, b) => (a < b ? a : b)) - opts.inFlightMicros;
}

/**
 * The price the edge charges a balance for one weight unit under a plan version: per call and
 * prepaid at their unit price, a subscription at its first overage tier's (an upper bound:
 * included units cost nothing), others nothing.
 */
export function marginalUnitPriceMicros(pricing: PlanPricing): bigint {
  switch (pricing.kind) {
    case 'per_call':
    case 'prepaid':
      return BigInt(pricing.unitPriceMicros);
    case 'subscription':
      return BigInt(pricing.overage?.tiers[0]?.unitPriceMicros ?? 0);
    default:
      return 0n;
  }
}
