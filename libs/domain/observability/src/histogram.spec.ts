import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS } from '@slipway/contracts';
import { bucketOf, emptyHistogram, HISTOGRAM_LENGTH, mergeHistograms, mergeInto, percentile, sameBounds } from './histogram';

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const histogramOf = (samples: readonly number[]): number[] => {
  const h = emptyHistogram();
  for (const ms of samples) h[bucketOf(ms)]!++;
  return h;
};

/** The exact q-quantile of raw samples: the ⌈q·n⌉-th smallest. */
const exact = (samples: readonly number[], q: number): number => [...samples].sort((a, b) => a - b)[Math.ceil(q * samples.length) - 1]!;

describe('histograms', () => {
  it('has one count per bound plus +Inf, the edge’s bounds', () => {
    expect(HISTOGRAM_LENGTH).toBe(LATENCY_BUCKETS_MS.length + 1);
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(5)).toBe(0); // bounds are inclusive upper bounds (le)
    expect(bucketOf(5.01)).toBe(1);
    expect(bucketOf(999_999)).toBe(LATENCY_BUCKETS_MS.length);
    expect(sameBounds([...LATENCY_BUCKETS_MS])).toBe(true);
    expect(sameBounds([5, 10])).toBe(false);
  });

  it('merges by adding bucket by bucket, and refuses other shapes', () => {
    const a = histogramOf([1, 7, 7, 300]);
    const b = histogramOf([7, 6000]);
    expect(mergeHistograms([a, b])).toEqual(histogramOf([1, 7, 7, 300, 7, 6000]));
    expect(() => mergeInto(emptyHistogram(), [1, 2])).toThrow(/do not merge/);
  });

  it('interpolates within the bucket that holds the rank', () => {
    // 10 requests in (10, 25]: the median is halfway through the bucket.
    const h = emptyHistogram();
    h[2] = 10;
    expect(percentile(h, 0.5)).toBe(17.5);
    expect(percentile(h, 1)).toBe(25);
    // 90 fast, 10 slow: p90 is the top of the fast bucket, p95 halfway through the slow one.
    const g = emptyHistogram();
    g[0] = 90;
    g[5] = 10; // (100, 250]
    expect(percentile(g, 0.9)).toBe(5);
    expect(percentile(g, 0.95)).toBe(175);
  });

  it('reports the highest finite bound for a quantile in +Inf, and null with no requests', () => {
    const h = emptyHistogram();
    h[LATENCY_BUCKETS_MS.length] = 3;
    expect(percentile(h, 0.99)).toBe(5000);
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
    expect(() => percentile(h, 0)).toThrow(/outside/);
  });

  it('estimates percentiles of merged replicas within one bucket of the raw samples’ percentiles', () => {
    const next = random(42);
    for (let trial = 0; trial < 50; trial++) {
      // Three replicas with different latency profiles, several flushes each.
      const replicas = [20, 120, 900].map((scale) =>
        Array.from({ length: 200 + Math.floor(next() * 800) }, () => -Math.log(1 - next()) * scale),
      );
      const flushes = replicas.flatMap((samples) => [samples.slice(0, 100), samples.slice(100)].map(histogramOf));
      const merged = mergeHistograms(flushes);
      const all = replicas.flat();
      for (const q of [0.5, 0.95, 0.99]) {
        const estimate = percentile(merged, q)!;
        const truth = exact(all, q);
        expect(Math.abs(bucketOf(estimate) - bucketOf(truth)), `q=${q} trial=${trial}: ${estimate} vs ${truth}`).toBeLessThanOrEqual(1);
        // Stronger, and what interpolation guarantees: the estimate lies in the true value's bucket.
        if (bucketOf(truth) < LATENCY_BUCKETS_MS.length) expect(bucketOf(estimate)).toBe(bucketOf(truth));
      }
    }
  });
});
