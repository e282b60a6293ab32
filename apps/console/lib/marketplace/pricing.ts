import type { PlanLimits, PlanPricing, PriceTier } from '@slipway/contracts';
import { formatMicros, formatUnitPrice } from './money';

/**
 * What a plan costs and allows, in words and rows, for the catalog's cards, the listing's
 * comparison table and the publisher's plan editor preview. Pure: unit-tested.
 */

/** One line summary of a plan's price: "Free", "$0.001 per call", "$29.00 / month". */
export function priceSummary(p: PlanPricing): string {
  switch (p.kind) {
    case 'free':
      return 'Free';
    case 'per_call':
      return formatUnitPrice(p.unitPriceMicros);
    case 'subscription':
      return `${formatMicros(p.monthlyFeeMicros)} / month`;
    case 'per_token':
      return p.gatewayCostMarkupPercent !== null
        ? `Model cost + ${p.gatewayCostMarkupPercent} %`
        : `${formatMicros(p.inputPerMillionMicros)} / M input tokens`;
    case 'prepaid':
      return `Prepaid, ${formatUnitPrice(p.unitPriceMicros)}`;
  }
}

/**
 * A comparable monthly starting price in micro-USD (0 for free, the fee for a subscription, the
 * unit price otherwise), to find a listing's "from" price. Kinds do not compare exactly; this
 * orders them the way a consumer reads a card: free first, then the cheapest entry point.
 */
export function entryPriceMicros(p: PlanPricing): number {
  switch (p.kind) {
    case 'free':
      return 0;
    case 'subscription':
      return p.monthlyFeeMicros;
    case 'per_token':
      return p.inputPerMillionMicros;
    default:
      return p.unitPriceMicros;
  }
}

/** "Free", or "From $0.001 per call": the card's price line from the listing's plans. */
export function lowestPriceLabel(plans: readonly { pricing: PlanPricing }[]): string {
  if (plans.length === 0) return 'No public plan yet';
  const cheapest = [...plans].sort((a, b) => entryPriceMicros(a.pricing) - entryPriceMicros(b.pricing))[0]!;
  const summary = priceSummary(cheapest.pricing);
  if (cheapest.pricing.kind === 'free') return plans.length > 1 ? 'Free plan available' : 'Free';
  return `From ${summary}`;
}

export interface TierRow {
  /** "1 – 1,000", "1,001 – 10,000", "10,001 +", counted after the included units. */
  range: string;
  unitPrice: string;
  flat: string | null;
}

/** The rows of an overage tier table, from the tiers' upper bounds. */
export function tierRows(tiers: readonly PriceTier[]): TierRow[] {
  let from = 1;
  return tiers.map((t) => {
    const range =
      t.upTo === null ? `${from.toLocaleString('en-US')} +` : `${from.toLocaleString('en-US')} – ${t.upTo.toLocaleString('en-US')}`;
    if (t.upTo !== null) from = t.upTo + 1;
    return { range, unitPrice: formatUnitPrice(t.unitPriceMicros), flat: t.flatMicros ? formatMicros(t.flatMicros) : null };
  });
}

/** Problems with a tier list a publisher is editing, before the api sees it (the api checks again). */
export function tierProblems(tiers: readonly PriceTier[]): string[] {
  const problems: string[] = [];
  if (tiers.length === 0) problems.push('Add at least one tier.');
  let last = 0;
  tiers.forEach((t, i) => {
    const isLast = i === tiers.length - 1;
    if (t.upTo === null && !isLast) problems.push(`Tier ${i + 1} has no upper bound: only the last tier may be open-ended.`);
    if (t.upTo !== null && t.upTo <= last) problems.push(`Tier ${i + 1} must end above ${last.toLocaleString('en-US')}.`);
    if (t.upTo !== null) last = t.upTo;
  });
  if (tiers.length > 0 && tiers[tiers.length - 1]!.upTo !== null) problems.push('The last tier must be open-ended (no upper bound).');
  return problems;
}

/** Labelled lines of what a plan's price includes, for the comparison table. */
export function priceDetails(p: PlanPricing): { label: string; value: string }[] {
  switch (p.kind) {
    case 'free':
      return [{ label: 'Price', value: 'Free' }];
    case 'per_call':
      return [{ label: 'Per call', value: formatUnitPrice(p.unitPriceMicros) }];
    case 'prepaid':
      return [
        { label: 'Per call', value: formatUnitPrice(p.unitPriceMicros) },
        { label: 'Billing', value: 'Prepaid credits (402 when spent)' },
      ];
    case 'subscription':
      return [
        { label: 'Monthly fee', value: formatMicros(p.monthlyFeeMicros) },
        { label: 'Included calls', value: p.includedUnits.toLocaleString('en-US') },
        {
          label: 'Overage',
          value: p.overage ? `${p.overage.mode === 'graduated' ? 'Graduated' : 'Volume'} tiers` : 'None: calls stop at the included amount',
        },
      ];
    case 'per_token':
      if (p.gatewayCostMarkupPercent !== null)
        return [{ label: 'Tokens', value: `The model cost of each call + ${p.gatewayCostMarkupPercent} %` }];
      return [
        { label: 'Input tokens', value: `${formatMicros(p.inputPerMillionMicros)} / M` },
        { label: 'Output tokens', value: `${formatMicros(p.outputPerMillionMicros)} / M` },
        { label: 'Cached tokens', value: `${formatMicros(p.cachedPerMillionMicros)} / M` },
      ];
  }
}

const LIMIT_LABELS: Record<keyof PlanLimits, string> = {
  perSecond: 'per second',
  perMinute: 'per minute',
  perDay: 'per day (UTC)',
  perMonth: 'per month',
};

/** "10 per second", "5 per day (UTC)", …; "No limits" when none is set. */
export function limitLines(limits: PlanLimits): string[] {
  const lines = (Object.keys(LIMIT_LABELS) as (keyof PlanLimits)[])
    .filter((k) => limits[k] !== null)
    .map((k) => `${limits[k]!.toLocaleString('en-US')} ${LIMIT_LABELS[k]}`);
  return lines.length ? lines : ['No limits'];
}

/** The rule every price change follows (plans are versioned), said where a publisher changes a price. */
export const PRICE_CHANGE_RULE = 'A price change applies to new subscriptions now and to existing ones from their next period.';
