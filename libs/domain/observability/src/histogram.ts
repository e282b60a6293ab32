import { LATENCY_BUCKETS_MS } from '@slipway/contracts';

/**
 * Latency histograms as the edge counts them: per-bucket counts (not cumulative) against the
 * fixed bounds LATENCY_BUCKETS_MS, plus a last +Inf bucket. Counts from any number of replicas,
 * flushes, minutes or hours merge by adding bucket by bucket, so percentiles of merged
 * histograms are exact to within one bucket whatever the grouping (unlike averaged percentiles).
 */

/** Number of counts in a histogram: one per bound plus +Inf. */
export const HISTOGRAM_LENGTH = LATENCY_BUCKETS_MS.length + 1;

export const emptyHistogram = (): number[] => new Array<number>(HISTOGRAM_LENGTH).fill(0);

/** Adds `counts` into `into` bucket by bucket (same bounds); returns `into`. */
export function mergeInto(into: number[], counts: readonly number[]): number[] {
  if (counts.length !== into.length) throw new Error(`histograms of ${into.length} and ${counts.length} buckets do not merge`);
  for (let i = 0; i < counts.length; i++) into[i]! += counts[i]!;
  return into;
}

export function mergeHistograms(list: readonly (readonly number[])[]): number[] {
  const out = emptyHistogram();
  for (const counts of list) mergeInto(out, counts);
  return out;
}

/** Index of the bucket a duration falls in (`ms <= bound`); LATENCY_BUCKETS_MS.length is +Inf. */
export function bucketOf(ms: number, bounds: readonly number[] = LATENCY_BUCKETS_MS): number {
  let i = 0;
  while (i < bounds.length && ms > bounds[i]!) i++;
  return i;
}

/**
 * The q-quantile (0 < q ≤ 1) estimated from bucket counts: the bucket holding the ⌈q·n⌉-th
 * smallest observation is found, and the value interpolated linearly between its lower and
 * upper bound (observations assumed spread evenly within it, as Prometheus's
 * histogram_quantile does). The first bucket starts at 0 ms. The +Inf bucket has no upper
 * bound: a quantile that lands there is reported as the highest finite bound (a floor, the
 * most the histogram can say). Null when there are no observations.
 */
export function percentile(counts: readonly number[], q: number, bounds: readonly number[] = LATENCY_BUCKETS_MS): number | null {
  if (!(q > 0 && q <= 1)) throw new Error(`quantile ${q} is outside (0, 1]`);
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i]!;
    if (below + inBucket >= rank && inBucket > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? 0;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const upper = bounds[i]!;
      return lower + ((upper - lower) * (rank - below)) / inBucket;
    }
    below += inBucket;
  }
  return bounds[bounds.length - 1] ?? 0; // unreachable: rank ≤ total
}

/** Whether `bounds` are the shared ones (an edge built with other bounds cannot be merged). */
export function sameBounds(bounds: readonly number[]): boolean {
  return bounds.length === LATENCY_BUCKETS_MS.length && bounds.every((b, i) => b === LATENCY_BUCKETS_MS[i]);
}
