import type { EnvironmentModelTrafficDto, EnvironmentResourcesDto } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { traffic, trafficRelease } from './fixtures';
import { alignedData, cpuChart, errorRateChart, isEmptySpec, latencyChart, LIMIT_COLOR, memoryChart, modelMetricChart, releaseColor, releaseSummaries, requestsChart, tokensChart } from './series';

describe('series shaped for uPlot', () => {
  const t = traffic([trafficRelease(1, [30, 10, 0], 0), trafficRelease(2, [0, 20, 40], 15)]);

  it('puts the shared time axis first and one array per release after it', () => {
    const spec = requestsChart(t);
    expect(spec.series.map((s) => s.label)).toEqual(['v1', 'v2']);
    expect(alignedData(spec)).toEqual([t.time, [3, 1, 0], [0, 2, 4]]);
    expect(spec.format(2.5)).toBe('2.5/s');
  });

  it('gives a release the same colour in every chart, and different releases different colours', () => {
    const colours = [requestsChart(t), latencyChart(t, 'p99'), errorRateChart(t)].map((s) => s.series.find((x) => x.label.startsWith('v2'))!.color);
    expect(new Set(colours).size).toBe(1);
    expect(releaseColor(1)).not.toBe(releaseColor(2));
    expect(releaseColor(1)).toBe(releaseColor(8)); // the palette wraps, deterministically
  });

  it('draws 5xx solid and 4xx dashed per release, and the chosen latency percentile', () => {
    const errors = errorRateChart(t);
    expect(errors.series.map((s) => [s.label, s.dash ?? null])).toEqual([
      ['v1 5xx', null],
      ['v1 4xx', [4, 4]],
      ['v2 5xx', null],
      ['v2 4xx', [4, 4]],
    ]);
    expect(latencyChart(t, 'p99').series[0]!.values).toEqual([90, 90, null]);
  });

  it('names the release with the highest 5xx rate in the legend, newest first', () => {
    const rows = releaseSummaries(t);
    expect(rows.map((r) => [r.label, r.worst])).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
    expect(rows[0]!.rate5xx).toBeCloseTo(15 / 60);
    // One release alone is not "worst" of anything.
    expect(releaseSummaries(traffic([trafficRelease(1, [5, 5, 5], 3)]))[0]!.worst).toBe(false);
  });

  it('knows an empty chart (no release served, or only zeros)', () => {
    expect(isEmptySpec(requestsChart(traffic([])))).toBe(true);
    expect(isEmptySpec(requestsChart(traffic([trafficRelease(1, [0, 0, 0], 0)])))).toBe(true);
    expect(isEmptySpec(requestsChart(t))).toBe(false);
  });

  it('draws each resource limit once, as a dashed red line across the range', () => {
    const replica = (index: number, releaseNumber: number, memoryLimitBytes: number) => ({
      replica: `app-${index}`,
      releaseId: `rel-${releaseNumber}`,
      releaseNumber,
      index,
      cpuPercent: [10, 20],
      memoryBytes: [100, 200],
      cpuLimitPercent: 50,
      memoryLimitBytes,
    });
    const r: EnvironmentResourcesDto = { from: t.from, to: t.to, stepSeconds: 10, time: [1, 2], replicas: [replica(0, 1, 512), replica(1, 1, 512), replica(0, 2, 1024)] };
    const cpu = cpuChart(r);
    expect(cpu.series.map((s) => s.label)).toEqual(['v1 #0', 'v1 #1', 'v2 #0', 'limit 50 %']);
    expect(cpu.series[3]).toMatchObject({ color: LIMIT_COLOR, values: [50, 50], dash: [6, 4] });
    expect(memoryChart(r).series.filter((s) => s.color === LIMIT_COLOR).map((s) => s.values[0])).toEqual([512, 1024]);
  });

  it('shapes model traffic by key, names releases, and sums tokens over every key', () => {
    const series = (key: string, calls: number[]) => ({
      key,
      calls,
      errors: [0, 0],
      inputTokens: [10, 20],
      outputTokens: [5, 5],
      cachedTokens: [0, 1],
      costUsd: [0.01, 0.02],
      ttftMs: [null, 200],
      tokensPerSecond: [null, 40],
      retries: [0, 1],
      fallbacks: [0, 0],
    });
    const m: EnvironmentModelTrafficDto = {
      from: t.from,
      to: t.to,
      stepSeconds: 60,
      time: [1, 2],
      groupBy: 'release',
      series: [series('rel-2', [1, 2]), series('', [3, 4])],
      errorsByCategory: [],
      totals: { calls: 10, costUsd: 0.06, inputTokens: 60, outputTokens: 20, cachedTokens: 2 },
    };
    const calls = modelMetricChart(m, 'calls', (id) => (id === 'rel-2' ? 'v2' : null));
    expect(calls.series.map((s) => s.label)).toEqual(['v2', '(none)']);
    expect(calls.series[0]!.color).toBe(releaseColor(2));
    expect(modelMetricChart(m, 'ttftMs').series[0]!.values).toEqual([null, 200]);
    expect(tokensChart(m).series.map((s) => s.values)).toEqual([
      [20, 40],
      [10, 10],
      [0, 2],
    ]);
  });
});
