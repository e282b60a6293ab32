import { describe, expect, it } from 'vitest';
import type { PlanPricing } from '@slipway/contracts';
import { formatUsd, mulDivHalfUp } from './money';
import { ratePeriod, type RatedVersion, type RatingInput } from './rate-period';
import { versionSpans } from './version-spans';

const DEC = new Date('2026-12-01T00:00:00Z');
const JAN = new Date('2027-01-01T00:00:00Z');
const PERIOD_SECONDS = 31 * 86_400;

const version = (planVersionId: string, pricing: PlanPricing, label = planVersionId): RatedVersion => ({ planVersionId, label, pricing });
const usage = (planVersionId: string, units: number, calls = units) => ({ planVersionId, units, calls, from: DEC, to: JAN });
const input = (over: Partial<RatingInput>): RatingInput => ({
  periodStart: DEC,
  periodEnd: JAN,
  versions: [],
  spans: [],
  usage: [],
  tokens: [],
  creditBalanceMicros: 0n,
  taxRateBps: 0,
  ...over,
});
const fullPeriod = (id: string) => [{ planVersionId: id, seconds: PERIOD_SECONDS }];
const amounts = (r: { lines: { kind: string; amountMicros: bigint }[] }) => r.lines.map((l) => [l.kind, l.amountMicros]);

const BASIC: PlanPricing = { kind: 'subscription', monthlyFeeMicros: 10_000_000, includedUnits: 1_000, overage: { mode: 'graduated', tiers: [{ upTo: null, unitPriceMicros: 10_000, flatMicros: 0 }] } };
const PRO: PlanPricing = { kind: 'subscription', monthlyFeeMicros: 31_000_000, includedUnits: 3_100, overage: { mode: 'graduated', tiers: [{ upTo: null, unitPriceMicros: 5_000, flatMicros: 0 }] } };

describe('ratePeriod', () => {
  it('bills nothing on a free plan', () => {
    const r = ratePeriod(input({ versions: [version('free', { kind: 'free' })], spans: fullPeriod('free'), usage: [usage('free', 5_000)] }));
    expect(r.lines).toEqual([]);
    expect(r.totalMicros).toBe(0n);
  });

  it('bills per call by weight units, with the usage window on the line', () => {
    const r = ratePeriod(input({ versions: [version('pc', { kind: 'per_call', unitPriceMicros: 2_500 }, 'Metered v1')], spans: fullPeriod('pc'), usage: [usage('pc', 1_234, 1_000)] }));
    expect(r.lines).toEqual([
      { kind: 'per_call', description: 'Metered v1: 1234 units at $0.0025', quantity: 1_234n, unitPriceMicros: 2_500n, amountMicros: 3_085_000n, usageFrom: DEC, usageTo: JAN, planVersionId: 'pc' },
    ]);
    expect(r.totalMicros).toBe(3_085_000n);
  });

  it('bills a full month of a subscription: fee, included units, then overage', () => {
    const r = ratePeriod(input({ versions: [version('basic', BASIC, 'Basic v1')], spans: fullPeriod('basic'), usage: [usage('basic', 1_250)] }));
    expect(r.lines.map((l) => [l.kind, l.quantity, l.amountMicros, l.description])).toEqual([
      ['base_fee', 1n, 10_000_000n, 'Basic v1: monthly fee'],
      ['included', 1_000n, 0n, 'Basic v1: 1000 of 1000 included units'],
      ['overage', 250n, 2_500_000n, 'Basic v1: overage, units 1–250 (tier 1) at $0.01'],
    ]);
    expect(r.totalMicros).toBe(12_500_000n);
  });

  it('prorates an upgrade mid-period exactly: fees and allowances by seconds in force, usage by the version of each event', () => {
    // Basic for 10 days, Pro for 21 of December's 31.
    const spans = versionSpans(DEC, JAN, 'pro', [{ at: new Date('2026-12-11T00:00:00Z'), fromPlanVersionId: 'basic', toPlanVersionId: 'pro' }]);
    expect(spans.map((s) => [s.planVersionId, s.seconds])).toEqual([
      ['basic', 10 * 86_400],
      ['pro', 21 * 86_400],
    ]);
    const r = ratePeriod(
      input({
        versions: [version('basic', BASIC, 'Basic v1'), version('pro', PRO, 'Pro v1')],
        spans,
        usage: [usage('basic', 400), usage('pro', 2_000)],
        taxRateBps: 2_000,
      }),
    );
    expect(r.lines.map((l) => [l.kind, l.planVersionId, l.quantity, l.amountMicros])).toEqual([
      // $10 × 864,000 / 2,678,400 s = $3.2258064… → 3,225,806 µUSD (rounded once)
      ['proration', 'basic', 1n, 3_225_806n],
      // 1,000 included × 10/31 = 322.58 → 322 whole units; 400 − 322 = 78 over at $0.01
      ['included', 'basic', 322n, 0n],
      ['overage', 'basic', 78n, 780_000n],
      // $31 × 21/31 = $21 exactly; 3,100 × 21/31 = 2,100 included
      ['proration', 'pro', 1n, 21_000_000n],
      ['included', 'pro', 2_000n, 0n],
    ]);
    expect(r.lines[0]!.description).toBe('Basic v1: monthly fee for 10 of 31 days');
    expect(r.subtotalMicros).toBe(25_005_806n);
    expect(r.taxMicros).toBe(5_001_161n); // 20 % of 25,005,806 = 5,001,161.2
    expect(r.totalMicros).toBe(30_006_967n);
  });

  it('prices tokens by kind per million, or the gateway cost with a markup', () => {
    const tokens = [{ planVersionId: 'ai', input: 1_500_000, output: 250_000, cached: 3, costMicros: 1_234_567n }];
    const byKind = ratePeriod(
      input({
        versions: [version('ai', { kind: 'per_token', inputPerMillionMicros: 3_000_000, outputPerMillionMicros: 15_000_000, cachedPerMillionMicros: 300_000, gatewayCostMarkupPercent: null })],
        spans: fullPeriod('ai'),
        tokens,
      }),
    );
    expect(amounts(byKind)).toEqual([
      ['tokens_input', 4_500_000n],
      ['tokens_output', 3_750_000n],
      ['tokens_cached', 1n], // 3 × 0.3 = 0.9 µUSD, rounded half up
    ]);
    const markup = ratePeriod(
      input({
        versions: [version('ai', { kind: 'per_token', inputPerMillionMicros: 1, outputPerMillionMicros: 1, cachedPerMillionMicros: 1, gatewayCostMarkupPercent: 12.5 })],
        spans: fullPeriod('ai'),
        tokens,
      }),
    );
    // 1,234,567 × 1.125 = 1,388,887.875 → 1,388,888
    expect(amounts(markup)).toEqual([['gateway_cost', 1_388_888n]]);
  });

  it('draws prepaid credits for prepaid usage, never more than the balance', () => {
    const prepaid = version('pp', { kind: 'prepaid', unitPriceMicros: 1_000 });
    const covered = ratePeriod(input({ versions: [prepaid], spans: fullPeriod('pp'), usage: [usage('pp', 700)], creditBalanceMicros: 5_000_000n }));
    expect(amounts(covered)).toEqual([
      ['per_call', 700_000n],
      ['credits_applied', -700_000n],
    ]);
    expect(covered.totalMicros).toBe(0n);
    expect(covered.creditsAppliedMicros).toBe(700_000n);
    const short = ratePeriod(input({ versions: [prepaid], spans: fullPeriod('pp'), usage: [usage('pp', 700)], creditBalanceMicros: 500_000n }));
    expect(short.creditsAppliedMicros).toBe(500_000n);
    expect(short.totalMicros).toBe(200_000n);
  });

  it('refuses usage under a version it has no price for', () => {
    expect(() => ratePeriod(input({ usage: [usage('ghost', 1)] }))).toThrow(/ghost/);
  });
});

describe('money', () => {
  it('rounds half up, once', () => {
    expect(mulDivHalfUp(5n, 1n, 2n)).toBe(3n);
    expect(mulDivHalfUp(25n, 1n, 10n)).toBe(3n);
    expect(mulDivHalfUp(24n, 1n, 10n)).toBe(2n);
    expect(mulDivHalfUp(0n, 7n, 3n)).toBe(0n);
  });

  it('writes dollars with cents, more digits only when needed', () => {
    expect(formatUsd(12_500_000n)).toBe('$12.50');
    expect(formatUsd(2_500n)).toBe('$0.0025');
    expect(formatUsd(-700_000n)).toBe('-$0.70');
  });
});

describe('versionSpans', () => {
  it('is the current version over the whole period when nothing changed', () => {
    expect(versionSpans(DEC, JAN, 'v1', []).map((s) => [s.planVersionId, s.seconds])).toEqual([['v1', PERIOD_SECONDS]]);
  });

  it('keeps a past period on its own version when a roll changed it at the next period’s start', () => {
    const roll = { at: JAN, fromPlanVersionId: 'v1', toPlanVersionId: 'v2' };
    expect(versionSpans(DEC, JAN, 'v2', [roll]).map((s) => s.planVersionId)).toEqual(['v1']);
    expect(versionSpans(JAN, new Date('2027-02-01T00:00:00Z'), 'v2', [roll]).map((s) => s.planVersionId)).toEqual(['v2']);
  });

  it('merges a change back to the same version', () => {
    const changes = [
      { at: new Date('2026-12-05T00:00:00Z'), fromPlanVersionId: 'a', toPlanVersionId: 'b' },
      { at: new Date('2026-12-06T00:00:00Z'), fromPlanVersionId: 'b', toPlanVersionId: 'a' },
    ];
    expect(versionSpans(DEC, JAN, 'a', changes).map((s) => [s.planVersionId, s.seconds / 86_400])).toEqual([
      ['a', 4],
      ['b', 1],
      ['a', 26],
    ]);
  });
});
