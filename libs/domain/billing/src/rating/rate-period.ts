import type { InvoiceLineKind, PlanPricing } from '@slipway/contracts';
import { formatUsd, minBig, mulDivHalfUp } from './money';
import { rateTiers } from './tiers';

/** A plan version a subscription used in the period, and how to name it on lines. */
export interface RatedVersion {
  planVersionId: string;
  /** `Pro v2`. */
  label: string;
  pricing: PlanPricing;
}

/** How long a version was in force within the period (from the subscription's plan changes). */
export interface VersionSpan {
  planVersionId: string;
  seconds: number;
}

/** Live usage rated by one version (the version on each event: the one in force when the call was admitted). */
export interface VersionUsage {
  planVersionId: string;
  calls: number;
  /** Sum of the events' weights. */
  units: number;
  from: Date | null;
  to: Date | null;
}

/** Gateway usage of the live calls rated by one version (GatewayRequest rows whose apiCallId is one of those calls). */
export interface VersionTokens {
  planVersionId: string;
  /** Input tokens, cache writes included (providers price them as input). */
  input: number;
  output: number;
  /** Cache reads. */
  cached: number;
  costMicros: bigint;
}

export interface RatingInput {
  periodStart: Date;
  periodEnd: Date;
  versions: readonly RatedVersion[];
  /** In order of first use; seconds add up to the period's length for a full period. */
  spans: readonly VersionSpan[];
  usage: readonly VersionUsage[];
  tokens: readonly VersionTokens[];
  /** Prepaid credits available to this period's usage (the ledger's balance before this period's draw). */
  creditBalanceMicros: bigint;
  taxRateBps: number;
}

export interface RatedLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: bigint;
  unitPriceMicros: bigint;
  amountMicros: bigint;
  usageFrom: Date | null;
  usageTo: Date | null;
  planVersionId: string | null;
}

export interface RatedInvoice {
  lines: RatedLine[];
  subtotalMicros: bigint;
  taxMicros: bigint;
  totalMicros: bigint;
  /** Prepaid credits this period's usage draws (the ledger's CREDIT_USAGE at finalization). */
  creditsAppliedMicros: bigint;
  /** What prepaid usage cost before credits (the edge's prepaid balance is the credits minus this). */
  prepaidChargesMicros: bigint;
}

const MILLION = 1_000_000n;
const DAY_SECONDS = 86_400;

/**
 * Turns a period's plan versions and usage into invoice lines. Pure: the same input gives the
 * same lines, so a draft recomputed from the same events never changes.
 *
 * - Fees (a subscription's monthly fee) are prorated by the seconds each version was in force
 *   over the period's seconds, rounded half up once per line.
 * - Included units are prorated the same way (rounded down to whole units): an upgrade at
 *   mid-period gives half of the new plan's allowance, never two full allowances.
 * - Usage is rated by the version on its events (the version the edge admitted the call under).
 * - Each line's amount is rounded once; tax is the tax rate on the subtotal, rounded once.
 */
export function ratePeriod(input: RatingInput): RatedInvoice {
  const periodSeconds = Math.max(1, Math.round((input.periodEnd.getTime() - input.periodStart.getTime()) / 1000));
  const byId = new Map(input.versions.map((v) => [v.planVersionId, v]));
  const seconds = new Map<string, number>();
  for (const span of input.spans) seconds.set(span.planVersionId, (seconds.get(span.planVersionId) ?? 0) + span.seconds);
  const order = [...new Set([...input.spans.map((s) => s.planVersionId), ...input.usage.map((u) => u.planVersionId), ...input.tokens.map((t) => t.planVersionId)])];

  const lines: RatedLine[] = [];
  let prepaidCharges = 0n;
  for (const id of order) {
    const version = byId.get(id);
    if (!version) throw new Error(`ratePeriod: plan version ${id} has usage but no pricing`);
    const inForce = Math.min(seconds.get(id) ?? 0, periodSeconds);
    const usage = input.usage.find((u) => u.planVersionId === id) ?? { planVersionId: id, calls: 0, units: 0, from: null, to: null };
    const tokens = input.tokens.find((t) => t.planVersionId === id);
    const rated = rateVersion(version, inForce, periodSeconds, usage, tokens);
    lines.push(...rated);
    if (version.pricing.kind === 'prepaid') prepaidCharges += rated.reduce((sum, l) => sum + l.amountMicros, 0n);
  }

  const creditsAppliedMicros = minBig(prepaidCharges, input.creditBalanceMicros > 0n ? input.creditBalanceMicros : 0n);
  if (creditsAppliedMicros > 0n)
    lines.push({
      kind: 'credits_applied',
      description: `Prepaid credits applied (${formatUsd(creditsAppliedMicros)} of ${formatUsd(input.creditBalanceMicros)})`,
      quantity: 1n,
      unitPriceMicros: -creditsAppliedMicros,
      amountMicros: -creditsAppliedMicros,
      usageFrom: null,
      usageTo: null,
      planVersionId: null,
    });

  const subtotalMicros = lines.reduce((sum, l) => sum + l.amountMicros, 0n);
  const taxMicros = subtotalMicros > 0n ? mulDivHalfUp(subtotalMicros, BigInt(input.taxRateBps), 10_000n) : 0n;
  return { lines, subtotalMicros, taxMicros, totalMicros: subtotalMicros + taxMicros, creditsAppliedMicros, prepaidChargesMicros: prepaidCharges };
}

function rateVersion(version: RatedVersion, inForce: number, periodSeconds: number, usage: VersionUsage, tokens: VersionTokens | undefined): RatedLine[] {
  const { pricing, label, planVersionId } = version;
  const usageLine = (kind: InvoiceLineKind, description: string, quantity: number | bigint, unitPriceMicros: bigint, amountMicros: bigint): RatedLine => ({
    kind,
    description,
    quantity: BigInt(quantity),
    unitPriceMicros,
    amountMicros,
    usageFrom: usage.from,
    usageTo: usage.to,
    planVersionId,
  });
  switch (pricing.kind) {
    case 'free':
      return [];
    case 'per_call':
    case 'prepaid': {
      if (usage.units === 0) return [];
      const price = BigInt(pricing.unitPriceMicros);
      return [usageLine('per_call', `${label}: ${usage.units} units at ${formatUsd(price)}`, usage.units, price, BigInt(usage.units) * price)];
    }
    case 'subscription': {
      const out: RatedLine[] = [];
      const fee = BigInt(pricing.monthlyFeeMicros);
      const full = inForce >= periodSeconds;
      if (fee > 0n && inForce > 0) {
        const amount = full ? fee : mulDivHalfUp(fee, BigInt(inForce), BigInt(periodSeconds));
        out.push({
          kind: full ? 'base_fee' : 'proration',
          description: full ? `${label}: monthly fee` : `${label}: monthly fee for ${days(inForce)} of ${days(periodSeconds)} days`,
          quantity: 1n,
          unitPriceMicros: amount,
          amountMicros: amount,
          usageFrom: null,
          usageTo: null,
          planVersionId,
        });
      }
      const included = full ? pricing.includedUnits : Math.floor((pricing.includedUnits * inForce) / periodSeconds);
      const covered = Math.min(usage.units, included);
      if (covered > 0) out.push(usageLine('included', `${label}: ${covered} of ${included} included units`, covered, 0n, 0n));
      const overage = usage.units - covered;
      if (overage > 0 && pricing.overage) {
        for (const t of rateTiers(overage, pricing.overage.tiers, pricing.overage.mode)) {
          const range = pricing.overage.mode === 'volume' ? `all ${t.quantity} units at tier ${t.tier}` : `units ${t.firstUnit}–${t.lastUnit} (tier ${t.tier})`;
          const flat = t.flatMicros > 0n ? ` + ${formatUsd(t.flatMicros)} flat` : '';
          out.push(usageLine('overage', `${label}: overage, ${range} at ${formatUsd(t.unitPriceMicros)}${flat}`, t.quantity, t.unitPriceMicros, t.amountMicros));
        }
      }
      return out;
    }
    case 'per_token': {
      if (!tokens) return [];
      if (pricing.gatewayCostMarkupPercent !== null) {
        if (tokens.costMicros === 0n) return [];
        // The markup in basis points keeps a fractional percent (12.5 %) exact.
        const markupBps = BigInt(Math.round(pricing.gatewayCostMarkupPercent * 100));
        const amount = mulDivHalfUp(tokens.costMicros, 10_000n + markupBps, 10_000n);
        return [usageLine('gateway_cost', `${label}: model cost ${formatUsd(tokens.costMicros)} + ${pricing.gatewayCostMarkupPercent} %`, 1, amount, amount)];
      }
      const kinds: [InvoiceLineKind, string, number, number][] = [
        ['tokens_input', 'input tokens', tokens.input, pricing.inputPerMillionMicros],
        ['tokens_output', 'output tokens', tokens.output, pricing.outputPerMillionMicros],
        ['tokens_cached', 'cached input tokens', tokens.cached, pricing.cachedPerMillionMicros],
      ];
      return kinds
        .filter(([, , count]) => count > 0)
        .map(([kind, name, count, perMillion]) =>
          usageLine(kind, `${label}: ${count} ${name} at ${formatUsd(BigInt(perMillion))} per million`, count, BigInt(perMillion), mulDivHalfUp(BigInt(count), BigInt(perMillion), MILLION)),
        );
    }
  }
}

/** `12.5` days, one decimal. */
function days(seconds: number): string {
  return String(Math.round((seconds / DAY_SECONDS) * 10) / 10);
}
