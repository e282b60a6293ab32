import type { PlanLimits, PlanPricing, PriceTier } from '@slipway/contracts';
import { microsToUsdInput, parseUsdToMicros } from './money';
import { tierProblems } from './pricing';

/**
 * The plan editor's form state: every money field as the USD text a publisher types, every
 * limit as text (blank = no limit). `toTerms` turns it into the api's pricing and limits, or the
 * problems per field. Pure: unit-tested.
 */
export type PricingKind = PlanPricing['kind'];

export interface TierInput {
  upTo: string;
  unitPrice: string;
  flat: string;
}

export interface PlanFormState {
  kind: PricingKind;
  unitPrice: string;
  monthlyFee: string;
  includedUnits: string;
  overage: 'none' | 'graduated' | 'volume';
  tiers: TierInput[];
  inputPerMillion: string;
  outputPerMillion: string;
  cachedPerMillion: string;
  markupPercent: string;
  limits: Record<keyof PlanLimits, string>;
}

export const EMPTY_PLAN_FORM: PlanFormState = {
  kind: 'free',
  unitPrice: '',
  monthlyFee: '',
  includedUnits: '0',
  overage: 'none',
  tiers: [{ upTo: '', unitPrice: '', flat: '' }],
  inputPerMillion: '',
  outputPerMillion: '',
  cachedPerMillion: '',
  markupPercent: '',
  limits: { perSecond: '', perMinute: '', perDay: '', perMonth: '' },
};

const usd = (m: number) => microsToUsdInput(m);

export function planFormFrom(pricing: PlanPricing, limits: PlanLimits): PlanFormState {
  const f: PlanFormState = { ...EMPTY_PLAN_FORM, kind: pricing.kind, limits: { perSecond: '', perMinute: '', perDay: '', perMonth: '' } };
  for (const k of Object.keys(f.limits) as (keyof PlanLimits)[]) f.limits[k] = limits[k] === null ? '' : String(limits[k]);
  if (pricing.kind === 'per_call' || pricing.kind === 'prepaid') f.unitPrice = usd(pricing.unitPriceMicros);
  if (pricing.kind === 'subscription') {
    f.monthlyFee = usd(pricing.monthlyFeeMicros);
    f.includedUnits = String(pricing.includedUnits);
    f.overage = pricing.overage?.mode ?? 'none';
    f.tiers =
      pricing.overage?.tiers.map((t) => ({
        upTo: t.upTo === null ? '' : String(t.upTo),
        unitPrice: usd(t.unitPriceMicros),
        flat: t.flatMicros ? usd(t.flatMicros) : '',
      })) ?? f.tiers;
  }
  if (pricing.kind === 'per_token') {
    f.inputPerMillion = usd(pricing.inputPerMillionMicros);
    f.outputPerMillion = usd(pricing.outputPerMillionMicros);
    f.cachedPerMillion = usd(pricing.cachedPerMillionMicros);
    f.markupPercent = pricing.gatewayCostMarkupPercent === null ? '' : String(pricing.gatewayCostMarkupPercent);
  }
  return f;
}

type Result = { ok: true; pricing: PlanPricing; limits: PlanLimits } | { ok: false; errors: Record<string, string> };

export function toTerms(f: PlanFormState): Result {
  const errors: Record<string, string> = {};
  const money = (field: string, text: string, required = true): number => {
    if (!text.trim() && !required) return 0;
    const m = parseUsdToMicros(text);
    if (m === null) errors[field] = 'Write an amount in USD, e.g. 0.002 or 29.';
    return m ?? 0;
  };
  const count = (field: string, text: string, allowBlank: boolean): number | null => {
    if (!text.trim()) {
      if (!allowBlank) errors[field] = 'Write a whole number.';
      return null;
    }
    if (!/^\d+$/.test(text.trim()) || Number(text) > Number.MAX_SAFE_INTEGER) {
      errors[field] = 'Write a whole number.';
      return null;
    }
    return Number(text);
  };

  const limits = {} as PlanLimits;
  for (const k of Object.keys(f.limits) as (keyof PlanLimits)[]) {
    const n = count(k, f.limits[k], true);
    if (n === 0) errors[k] = 'Leave it empty for no limit, or use at least 1.';
    limits[k] = n;
  }

  let pricing: PlanPricing;
  switch (f.kind) {
    case 'free':
      pricing = { kind: 'free' };
      break;
    case 'per_call':
    case 'prepaid':
      pricing = { kind: f.kind, unitPriceMicros: money('unitPrice', f.unitPrice) };
      break;
    case 'subscription': {
      const tiers: PriceTier[] = f.tiers.map((t, i) => ({
        upTo: count(`tiers.${i}.upTo`, t.upTo, true),
        unitPriceMicros: money(`tiers.${i}.unitPrice`, t.unitPrice),
        flatMicros: money(`tiers.${i}.flat`, t.flat, false),
      }));
      if (f.overage !== 'none') {
        const problems = tierProblems(tiers);
        if (problems.length) errors.tiers = problems.join(' ');
      }
      pricing = {
        kind: 'subscription',
        monthlyFeeMicros: money('monthlyFee', f.monthlyFee),
        includedUnits: count('includedUnits', f.includedUnits, false) ?? 0,
        overage: f.overage === 'none' ? null : { mode: f.overage, tiers },
      };
      break;
    }
    case 'per_token': {
      let markup: number | null = null;
      if (f.markupPercent.trim()) {
        markup = Number(f.markupPercent);
        if (!Number.isFinite(markup) || markup < 0 || markup > 1000) errors.markupPercent = 'Use 0 to 1000 (%).';
      }
      pricing = {
        kind: 'per_token',
        inputPerMillionMicros: money('inputPerMillion', f.inputPerMillion, markup === null),
        outputPerMillionMicros: money('outputPerMillion', f.outputPerMillion, markup === null),
        cachedPerMillionMicros: money('cachedPerMillion', f.cachedPerMillion, markup === null),
        gatewayCostMarkupPercent: markup,
      };
      break;
    }
  }
  if (f.kind !== 'subscription') for (const k of Object.keys(errors)) if (k.startsWith('tiers')) delete errors[k];
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, pricing, limits };
}
