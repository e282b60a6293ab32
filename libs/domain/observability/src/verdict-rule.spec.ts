import { describe, expect, it } from 'vitest';
import { bucketOf, emptyHistogram } from './histogram';
import {
  costRegressed,
  formatPercent,
  judgeRelease,
  p95Regressed,
  rate4xxRegressed,
  rate5xxRegressed,
  VERDICT_MIN_REQUESTS,
  type VerdictInput,
  type WindowStats,
} from './verdict-rule';

const liveAt = new Date('2026-12-07T12:00:00Z');
const minutesAfter = (m: number) => new Date(liveAt.getTime() + m * 60_000);

/** `requests` requests, all taking `ms` (one histogram bucket), with `s5xx` 5xx and `s4xx` 4xx answers. */
function stats(requests: number, opts: { s5xx?: number; s4xx?: number; ms?: number; costMicros?: number } = {}): WindowStats {
  const latencyCounts = emptyHistogram();
  latencyCounts[bucketOf(opts.ms ?? 40)] = requests;
  return { requests, status5xx: opts.s5xx ?? 0, status4xx: opts.s4xx ?? 0, latencyCounts, modelCostMicros: opts.costMicros ?? 0 };
}

const input = (over: Partial<VerdictInput>): VerdictInput => ({
  releaseNumber: 12,
  previousReleaseNumber: 11,
  current: stats(100),
  previous: stats(1000, { s5xx: 1 }),
  liveAt,
  windowMinutes: 10,
  now: minutesAfter(3),
  ...over,
});

describe('the rules at their boundaries', () => {
  it('5xx: at least 2 % absolute and at least 3× the baseline', () => {
    expect(rate5xxRegressed(0.02, 0)).toBe(true);
    expect(rate5xxRegressed(0.0199, 0)).toBe(false);
    expect(rate5xxRegressed(0.03, 0.01)).toBe(true); // exactly 3× (3 × 0.01 is not 0.03 in floats)
    expect(rate5xxRegressed(0.0299, 0.01)).toBe(false);
    expect(rate5xxRegressed(0.5, 0.2)).toBe(false); // high but not 3× a bad baseline
  });
  it('4xx: at least 10 % absolute and at least 3× the baseline', () => {
    expect(rate4xxRegressed(0.1, 0.02)).toBe(true);
    expect(rate4xxRegressed(0.099, 0.02)).toBe(false);
    expect(rate4xxRegressed(0.3, 0.1)).toBe(true);
    expect(rate4xxRegressed(0.29, 0.1)).toBe(false);
  });
  it('p95: at least 2× and at least 250 ms slower', () => {
    expect(p95Regressed(500, 250)).toBe(true);
    expect(p95Regressed(499, 250)).toBe(false); // +249 ms, under 2×
    expect(p95Regressed(270, 20)).toBe(true); // +250 ms exactly
    expect(p95Regressed(269, 20)).toBe(false); // 13× but only +249 ms
    expect(p95Regressed(1999, 1000)).toBe(false); // +999 ms but under 2×
  });
  it('model cost per request: at least 2× and at least $0.001 more', () => {
    expect(costRegressed(0.002, 0.001)).toBe(true);
    expect(costRegressed(0.0018, 0.0009)).toBe(false); // 2× but only +$0.0009
    expect(costRegressed(0.0015, 0.0001)).toBe(true);
    expect(costRegressed(0.0035, 0.002)).toBe(false); // +$0.0015 but under 2×
  });
});

describe('judgeRelease', () => {
  it('faulty as soon as the 5xx rate rises, with the sentence a person reads on the marker', () => {
    const v = judgeRelease(input({ current: stats(100, { s5xx: 4 }), previous: stats(1000, { s5xx: 1 }) }));
    expect(v.status).toBe('faulty');
    expect(v.summary).toBe('v12 raised the 5xx rate from 0.1 % to 4 % within 3 minutes of its deploy.');
    expect(v.measures.find((m) => m.measure === 'rate5xx')).toEqual({ measure: 'rate5xx', previous: 0.001, current: 0.04, regressed: true });
  });

  it(`needs ${VERDICT_MIN_REQUESTS} requests in the new release's window before a rate can make it faulty`, () => {
    expect(judgeRelease(input({ current: stats(VERDICT_MIN_REQUESTS - 1, { s5xx: 29 }) })).status).toBe('pending');
    expect(judgeRelease(input({ current: stats(VERDICT_MIN_REQUESTS, { s5xx: 30 }) })).status).toBe('faulty');
  });

  it('judges 5xx against 0 % when there is no previous release (or too little of its traffic)', () => {
    const atBar = judgeRelease(input({ previousReleaseNumber: null, previous: null, current: stats(50, { s5xx: 1 }) })); // 2 %: the bar
    expect(atBar.status).toBe('faulty');
    expect(atBar.summary).toBe('v12 raised the 5xx rate from nothing measured to 2 % within 3 minutes of its deploy.');
    expect(judgeRelease(input({ previousReleaseNumber: null, previous: null, current: stats(51, { s5xx: 1 }) })).status).toBe('pending');
    const thinBaseline = judgeRelease(input({ previous: stats(10, { s5xx: 5 }), current: stats(100, { s5xx: 20 }) }));
    expect(thinBaseline.status).toBe('faulty'); // 20 % against a 10-request baseline of 50 %: the baseline is ignored
    expect(thinBaseline.summary).toContain('from 50 % to 20 %');
  });

  it('does not call a release faulty for a 5xx rate its predecessor already had', () => {
    const v = judgeRelease(input({ current: stats(100, { s5xx: 5 }), previous: stats(100, { s5xx: 4 }), now: minutesAfter(11) }));
    expect(v.status).toBe('healthy');
  });

  it('faulty on a p95 regression only against a measured baseline', () => {
    const slow = judgeRelease(input({ current: stats(100, { ms: 400 }), previous: stats(100, { ms: 40 }) }));
    expect(slow.status).toBe('faulty');
    expect(slow.summary).toMatch(/^v12 raised p95 latency from \d+ ms to \d+ ms within 3 minutes of its deploy\.$/);
    const noBaseline = judgeRelease(input({ current: stats(100, { ms: 400 }), previous: null, previousReleaseNumber: null }));
    expect(noBaseline.status).toBe('pending');
  });

  it('names every regressed measure in one sentence', () => {
    const v = judgeRelease(input({ current: stats(100, { s5xx: 10, ms: 400 }), previous: stats(100, { ms: 40 }), now: minutesAfter(0.2) }));
    expect(v.summary).toMatch(/^v12 raised the 5xx rate from 0 % to 10 %, raised p95 latency from .* within 1 minute of its deploy\.$/);
  });

  it('pending while the window is open and nothing is wrong; healthy after; insufficient-data after with too few requests', () => {
    expect(judgeRelease(input({ now: minutesAfter(9.99) })).status).toBe('pending');
    expect(judgeRelease(input({ now: minutesAfter(9.99) })).summary).toBe('v12 is being watched: 100 requests in its first 10 of 10 minutes, nothing wrong yet.');
    const healthy = judgeRelease(input({ now: minutesAfter(10) }));
    expect(healthy.status).toBe('healthy');
    expect(healthy.summary).toMatch(/^v12 held up over its first 10 minutes: 5xx 0 %, p95 \d+ ms \(v11: 5xx 0.1 %, p95 \d+ ms\)\.$/);
    const quiet = judgeRelease(input({ current: stats(29), now: minutesAfter(10) }));
    expect(quiet.status).toBe('insufficient-data');
    expect(quiet.summary).toBe('v12 served 29 requests in its first 10 minutes: too few to judge (at least 30 needed).');
  });

  it('compares model cost per request when the gateway was used, and resources only when a provider gave them', () => {
    const v = judgeRelease(input({ current: { ...stats(100, { costMicros: 300_000 }), cpuPercent: 40 }, previous: { ...stats(100, { costMicros: 100_000 }), cpuPercent: 10 } }));
    expect(v.status).toBe('faulty');
    expect(v.summary).toContain('raised the model cost per request from $0.001 to $0.003');
    expect(v.measures.map((m) => m.measure)).toEqual(['rate5xx', 'rate4xx', 'p95Ms', 'modelCostPerRequestUsd', 'cpuPercent']);
    expect(v.measures.find((m) => m.measure === 'cpuPercent')).toEqual({ measure: 'cpuPercent', previous: 10, current: 40, regressed: false });
    const plain = judgeRelease(input({}));
    expect(plain.measures.map((m) => m.measure)).toEqual(['rate5xx', 'rate4xx', 'p95Ms']);
  });

  it('formats rates as a person writes them', () => {
    expect([0, 0.001, 0.0125, 0.04, 0.125, 1].map(formatPercent)).toEqual(['0 %', '0.1 %', '1.3 %', '4 %', '13 %', '100 %']);
  });
});
