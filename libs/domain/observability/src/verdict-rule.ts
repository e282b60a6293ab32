import type { VerdictStatus } from '@slipway/contracts';
import { percentile } from './histogram';

/**
 * The release verdict: a new release against the one it replaced, over comparable windows
 * (docs/observability.md, "Release verdicts"). Pure: the job and the api feed it sums read
 * from the traffic tables; every threshold is here, in one place.
 */

/** Requests a window needs before its rates and p95 are judged (both windows for relative rules). */
export const VERDICT_MIN_REQUESTS = 30;
/** 5xx rate: faulty at ≥ 2 % absolute AND ≥ 3× the previous release's. */
export const RATE_5XX_MIN = 0.02;
export const RATE_5XX_FACTOR = 3;
/** 4xx rate (clients' mistakes too, so a higher bar, and only against a measured baseline): ≥ 10 % AND ≥ 3×. */
export const RATE_4XX_MIN = 0.1;
export const RATE_4XX_FACTOR = 3;
/** p95 latency: faulty at ≥ 2× the previous release's AND ≥ 250 ms slower. */
export const P95_FACTOR = 2;
export const P95_MIN_INCREASE_MS = 250;
/** Model cost per request: faulty at ≥ 2× AND ≥ $0.001 more per request. */
export const COST_FACTOR = 2;
export const COST_MIN_INCREASE_USD = 0.001;

/** What one release served in its window. */
export interface WindowStats {
  requests: number;
  status4xx: number;
  status5xx: number;
  /** Merged latency histogram (LATENCY_BUCKETS_MS + Inf). */
  latencyCounts: readonly number[];
  /** Gateway cost attributed to the release, in micro-dollars. */
  modelCostMicros: number;
  /** Averages from the resources provider, when one is wired (absent measures are left out). */
  cpuPercent?: number | null;
  memoryBytes?: number | null;
}

export interface VerdictInput {
  releaseNumber: number;
  /** Null for an environment's first release. */
  previousReleaseNumber: number | null;
  current: WindowStats;
  /** The previous release over the same length before the deploy; null when there is none. */
  previous: WindowStats | null;
  liveAt: Date;
  windowMinutes: number;
  now: Date;
}

export interface ComparedMeasure {
  measure: 'rate5xx' | 'rate4xx' | 'p95Ms' | 'modelCostPerRequestUsd' | 'cpuPercent' | 'memoryBytes';
  previous: number | null;
  current: number | null;
  regressed: boolean;
}

export interface Verdict {
  status: VerdictStatus;
  summary: string;
  measures: ComparedMeasure[];
}

/** At least, forgiving float rounding (3 × 0.01 is 0.030000000000000002). */
const atLeast = (value: number, bound: number) => value >= bound - 1e-9 * Math.max(1, Math.abs(bound));

/** The rules, one predicate each (rates are fractions, 0.02 = 2 %). */
export const rate5xxRegressed = (current: number, baseline: number) => atLeast(current, RATE_5XX_MIN) && atLeast(current, RATE_5XX_FACTOR * baseline);
export const rate4xxRegressed = (current: number, baseline: number) => atLeast(current, RATE_4XX_MIN) && atLeast(current, RATE_4XX_FACTOR * baseline);
export const p95Regressed = (current: number, baseline: number) => atLeast(current, P95_FACTOR * baseline) && atLeast(current - baseline, P95_MIN_INCREASE_MS);
export const costRegressed = (current: number, baseline: number) => atLeast(current, COST_FACTOR * baseline) && atLeast(current - baseline, COST_MIN_INCREASE_USD);

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const enough = (w: WindowStats | null): w is WindowStats => !!w && w.requests >= VERDICT_MIN_REQUESTS;

/** "0.1 %", "4 %", "12.5 %": at most two significant decimals below 1 %. */
export function formatPercent(r: number): string {
  const pct = r * 100;
  const digits = pct === 0 ? 0 : pct < 1 ? 2 : pct < 10 ? 1 : 0;
  return `${Number(pct.toFixed(digits))} %`;
}
const formatMs = (v: number) => `${Math.round(v)} ms`;
const formatUsd = (v: number) => `$${Number(v.toPrecision(2))}`;

export function judgeRelease(input: VerdictInput): Verdict {
  const { current, previous } = input;
  const baseline = enough(previous) ? previous : null;
  const currentEnough = current.requests >= VERDICT_MIN_REQUESTS;
  const measures: ComparedMeasure[] = [];

  // 5xx: judged on the new release's own traffic; a missing or too small baseline counts as 0 %.
  const cur5 = rate(current.status5xx, current.requests);
  const prev5 = previous ? rate(previous.status5xx, previous.requests) : null;
  const base5 = baseline ? (prev5 ?? 0) : 0;
  measures.push({
    measure: 'rate5xx',
    previous: prev5,
    current: cur5,
    regressed: currentEnough && cur5 !== null && rate5xxRegressed(cur5, base5),
  });

  const cur4 = rate(current.status4xx, current.requests);
  const prev4 = previous ? rate(previous.status4xx, previous.requests) : null;
  measures.push({
    measure: 'rate4xx',
    previous: prev4,
    current: cur4,
    regressed: currentEnough && !!baseline && cur4 !== null && prev4 !== null && rate4xxRegressed(cur4, prev4),
  });

  const curP95 = percentile(current.latencyCounts, 0.95);
  const prevP95 = previous ? percentile(previous.latencyCounts, 0.95) : null;
  measures.push({
    measure: 'p95Ms',
    previous: prevP95,
    current: curP95,
    regressed: currentEnough && !!baseline && curP95 !== null && prevP95 !== null && p95Regressed(curP95, prevP95),
  });

  const curCost = current.requests > 0 ? current.modelCostMicros / 1e6 / current.requests : null;
  const prevCost = previous && previous.requests > 0 ? previous.modelCostMicros / 1e6 / previous.requests : null;
  if (current.modelCostMicros > 0 || (previous?.modelCostMicros ?? 0) > 0) {
    measures.push({
      measure: 'modelCostPerRequestUsd',
      previous: prevCost,
      current: curCost,
      regressed: currentEnough && !!baseline && curCost !== null && prevCost !== null && costRegressed(curCost, prevCost),
    });
  }

  // Resources are shown for comparison only: per-replica averages over minutes are too noisy to act on.
  for (const measure of ['cpuPercent', 'memoryBytes'] as const) {
    const cur = current[measure];
    const prev = previous?.[measure];
    if (cur === undefined && prev === undefined) continue;
    measures.push({ measure, previous: prev ?? null, current: cur ?? null, regressed: false });
  }

  const v = `v${input.releaseNumber}`;
  const prevName = input.previousReleaseNumber === null ? 'the previous release' : `v${input.previousReleaseNumber}`;
  const windowEnd = input.liveAt.getTime() + input.windowMinutes * 60_000;
  const elapsedMs = Math.min(input.now.getTime(), windowEnd) - input.liveAt.getTime();
  const elapsedMinutes = Math.max(1, Math.ceil(elapsedMs / 60_000));

  const regressed = measures.filter((m) => m.regressed);
  if (regressed.length > 0) {
    const parts = regressed.map((m) => describeRegression(m));
    const within = `within ${elapsedMinutes} minute${elapsedMinutes === 1 ? '' : 's'} of its deploy`;
    return { status: 'faulty', summary: `${v} ${parts.join(', ')} ${within}.`, measures };
  }
  if (input.now.getTime() < windowEnd) {
    return {
      status: 'pending',
      summary: `${v} is being watched: ${current.requests} request${current.requests === 1 ? '' : 's'} in its first ${elapsedMinutes} of ${input.windowMinutes} minutes, nothing wrong yet.`,
      measures,
    };
  }
  if (!currentEnough) {
    return {
      status: 'insufficient-data',
      summary: `${v} served ${current.requests} request${current.requests === 1 ? '' : 's'} in its first ${input.windowMinutes} minutes: too few to judge (at least ${VERDICT_MIN_REQUESTS} needed).`,
      measures,
    };
  }
  const compared = baseline ? ` (${prevName}: 5xx ${formatPercent(prev5 ?? 0)}${prevP95 !== null ? `, p95 ${formatMs(prevP95)}` : ''})` : '';
  return {
    status: 'healthy',
    summary: `${v} held up over its first ${input.windowMinutes} minutes: 5xx ${formatPercent(cur5 ?? 0)}${curP95 !== null ? `, p95 ${formatMs(curP95)}` : ''}${compared}.`,
    measures,
  };
}

function describeRegression(m: ComparedMeasure): string {
  const cur = m.current ?? 0;
  const prev = m.previous;
  switch (m.measure) {
    case 'rate5xx':
      return `raised the 5xx rate from ${prev === null ? 'nothing measured' : formatPercent(prev)} to ${formatPercent(cur)}`;
    case 'rate4xx':
      return `raised the 4xx rate from ${formatPercent(prev ?? 0)} to ${formatPercent(cur)}`;
    case 'p95Ms':
      return `raised p95 latency from ${formatMs(prev ?? 0)} to ${formatMs(cur)}`;
    case 'modelCostPerRequestUsd':
      return `raised the model cost per request from ${formatUsd(prev ?? 0)} to ${formatUsd(cur)}`;
    default:
      return `raised ${m.measure}`;
  }
}
