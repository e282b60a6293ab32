import { z } from 'zod';
import { edgePlanLimitsSchema } from './marketplace-edge';

/**
 * How a plan prices its calls. Money is integer micro-USD everywhere (1 USD = 1,000,000), as in
 * the gateway; a unit price may be fractional only through `perThousand` tiers, never floats.
 * A plan version's pricing never changes once a subscription uses it: a price change is a new
 * version (new subscriptions at once, existing ones from their next period).
 */
const micros = z.number().int().nonnegative();

export const priceTierSchema = z.object({
  /** Units up to and including this count (within the period, after included units); null = no upper bound (the last tier). */
  upTo: z.number().int().positive().nullable(),
  /** Price of each unit in this tier, micro-USD. */
  unitPriceMicros: micros,
  /** A fixed amount once the tier is entered (volume/graduated flat fees). */
  flatMicros: micros.default(0),
});
export type PriceTier = z.infer<typeof priceTierSchema>;

export const planPricingSchema = z.discriminatedUnion('kind', [
  /** Free: a quota (limits) and no charge. */
  z.object({ kind: z.literal('free') }),
  /** Each weight unit costs `unitPriceMicros`, billed in arrears per period. */
  z.object({ kind: z.literal('per_call'), unitPriceMicros: micros }),
  /**
   * A monthly fee with `includedUnits`, then overage by tiers: `graduated` prices each unit at
   * the tier it falls in; `volume` prices every unit at the tier the period's total reaches.
   */
  z.object({
    kind: z.literal('subscription'),
    monthlyFeeMicros: micros,
    includedUnits: z.number().int().nonnegative(),
    overage: z.object({ mode: z.enum(['graduated', 'volume']), tiers: z.array(priceTierSchema).min(1) }).nullable(),
  }),
  /**
   * AI APIs: per million tokens of each kind, from the model-gateway calls the app made for
   * the call (`slipway-call-id`). With `gatewayCostMarkupPercent` set, the price is the
   * gateway's cost of those calls × (1 + markup/100) and the token prices are ignored.
   */
  z.object({
    kind: z.literal('per_token'),
    inputPerMillionMicros: micros,
    outputPerMillionMicros: micros,
    cachedPerMillionMicros: micros,
    gatewayCostMarkupPercent: z.number().min(0).max(1_000).nullable(),
  }),
  /** Calls draw down prepaid credits at `unitPriceMicros` per unit; 402 when the balance is spent. */
  z.object({ kind: z.literal('prepaid'), unitPriceMicros: micros }),
]);
export type PlanPricing = z.infer<typeof planPricingSchema>;

export const planLimitsSchema = edgePlanLimitsSchema;
export type PlanLimits = z.infer<typeof planLimitsSchema>;
