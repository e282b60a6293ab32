import type { EnvironmentModelTrafficDto, EnvironmentResourcesDto, EnvironmentTrafficDto } from '@slipway/contracts';
import { formatBytes, formatCount, formatCpu, formatMs, formatPercent, formatRate, formatUsd, releaseLabel } from './format';

/**
 * Shapes the api's columnar answers into what one uPlot chart draws: the shared time axis and
 * one series per line, with its label, colour and formatter. Pure (no uPlot import), so it is
 * unit-tested and the chart component stays a thin wrapper.
 */

export interface LineSeries {
  label: string;
  color: string;
  values: (number | null)[];
  /** Dashed: limits and 4xx next to the solid 5xx of the same release. */
  dash?: number[];
  width?: number;
}

export interface ChartSpec {
  /** Unix seconds, as uPlot's x axis takes them. */
  time: number[];
  series: LineSeries[];
  format: (n: number | null) => string;
  /** The y axis starts at 0 (counts, rates, bytes). */
  zeroBased: boolean;
}

/** Distinct on light backgrounds and for the common colour-vision deficiencies; a release keeps its colour in every chart. */
const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4b5563'];
export const LIMIT_COLOR = '#dc2626';

export function releaseColor(releaseNumber: number | null | undefined): string {
  if (releaseNumber === null || releaseNumber === undefined) return PALETTE[PALETTE.length - 1]!;
  return PALETTE[(((releaseNumber - 1) % (PALETTE.length - 1)) + (PALETTE.length - 1)) % (PALETTE.length - 1)]!;
}

/** Colour of the n-th key of a chart that is not keyed by release (aliases, features, replicas). */
export const keyColor = (index: number): string => PALETTE[index % PALETTE.length]!;

/** uPlot's data: the x axis first, then one array per series. */
export function alignedData(spec: ChartSpec): (number | null)[][] {
  return [spec.time, ...spec.series.map((s) => s.values)];
}

/** True when no series has a single value: the panel says so instead of drawing empty axes. */
export const isEmptySpec = (spec: ChartSpec): boolean =>
  spec.time.length === 0 || spec.series.every((s) => s.values.every((v) => v === null || v === 0));

export type Percentile = 'p50' | 'p95' | 'p99';

/** Requests/s, one line per release. */
export function requestsChart(t: EnvironmentTrafficDto): ChartSpec {
  return {
    time: t.time,
    series: t.releases.map((r) => ({ label: releaseLabel(r.number), color: releaseColor(r.number), values: r.requestsPerSecond })),
    format: formatRate,
    zeroBased: true,
  };
}

/** One latency percentile, one line per release. */
export function latencyChart(t: EnvironmentTrafficDto, percentile: Percentile): ChartSpec {
  const key = `${percentile}Ms` as const;
  return {
    time: t.time,
    series: t.releases.map((r) => ({ label: `${releaseLabel(r.number)} ${percentile}`, color: releaseColor(r.number), values: r[key] })),
    format: formatMs,
    zeroBased: true,
  };
}

/** 5xx (solid) and 4xx (dashed) rates per release: a release that fails stands out in its own colour. */
export function errorRateChart(t: EnvironmentTrafficDto): ChartSpec {
  return {
    time: t.time,
    series: t.releases.flatMap((r) => [
      { label: `${releaseLabel(r.number)} 5xx`, color: releaseColor(r.number), values: r.rate5xx, width: 2 },
      { label: `${releaseLabel(r.number)} 4xx`, color: releaseColor(r.number), values: r.rate4xx, dash: [4, 4], width: 1 },
    ]),
    format: formatPercent,
    zeroBased: true,
  };
}

export interface ReleaseSummary {
  releaseId: string;
  label: string;
  color: string;
  requests: number;
  rate5xx: number | null;
  rate4xx: number | null;
  p95Ms: number | null;
  /** The release with the highest 5xx rate, when it has one and others served too. */
  worst: boolean;
}

/** The legend under the traffic charts: each release's totals over the range, newest first. */
export function releaseSummaries(t: EnvironmentTrafficDto): ReleaseSummary[] {
  const rows = t.releases.map((r) => ({
    releaseId: r.releaseId,
    label: releaseLabel(r.number),
    color: releaseColor(r.number),
    requests: r.totals.requests,
    rate5xx: r.totals.requests > 0 ? r.totals.status5xx / r.totals.requests : null,
    rate4xx: r.totals.requests > 0 ? r.totals.status4xx / r.totals.requests : null,
    p95Ms: r.totals.p95Ms,
    worst: false,
    number: r.number ?? -1,
  }));
  const worst = rows.reduce<(typeof rows)[number] | null>((w, r) => ((r.rate5xx ?? 0) > (w?.rate5xx ?? 0) ? r : w), null);
  if (worst && rows.length > 1) worst.worst = true;
  return rows.sort((a, b) => b.number - a.number).map(({ number: _n, ...r }) => r);
}

/** CPU % per replica, with the limit as a dashed red line. */
export function cpuChart(r: EnvironmentResourcesDto): ChartSpec {
  return resourceChart(
    r,
    (x) => x.cpuPercent,
    (x) => x.cpuLimitPercent,
    formatCpu,
  );
}

/** Memory per replica, with the limit as a dashed red line. */
export function memoryChart(r: EnvironmentResourcesDto): ChartSpec {
  return resourceChart(
    r,
    (x) => x.memoryBytes,
    (x) => x.memoryLimitBytes,
    formatBytes,
  );
}

type Replica = EnvironmentResourcesDto['replicas'][number];

function resourceChart(
  r: EnvironmentResourcesDto,
  values: (x: Replica) => (number | null)[],
  limit: (x: Replica) => number,
  format: (n: number | null) => string,
): ChartSpec {
  const series: LineSeries[] = r.replicas.map((x) => ({
    label: `${releaseLabel(x.releaseNumber)} #${x.index}`,
    color: releaseColor(x.releaseNumber),
    values: values(x),
  }));
  // One line per distinct limit: a release deployed with a new limit shows both.
  const limits = [...new Set(r.replicas.map(limit).filter((l) => l > 0))].sort((a, b) => a - b);
  for (const l of limits)
    series.push({ label: `limit ${format(l)}`, color: LIMIT_COLOR, values: r.time.map(() => l), dash: [6, 4], width: 1 });
  return { time: r.time, series, format, zeroBased: true };
}

export const MODEL_METRICS = ['calls', 'costUsd', 'ttftMs', 'tokensPerSecond', 'errors', 'retries', 'fallbacks'] as const;
export type ModelMetric = (typeof MODEL_METRICS)[number];
export const MODEL_METRIC_LABELS: Record<ModelMetric, string> = {
  calls: 'Calls',
  costUsd: 'Cost',
  ttftMs: 'TTFT',
  tokensPerSecond: 'Tokens/s',
  errors: 'Errors',
  retries: 'Retries',
  fallbacks: 'Fallbacks',
};
const MODEL_FORMATS: Record<ModelMetric, (n: number | null) => string> = {
  calls: formatCount,
  costUsd: formatUsd,
  ttftMs: formatMs,
  tokensPerSecond: (n) => (n === null ? '—' : `${formatCount(Math.round(n))}/s`),
  errors: formatCount,
  retries: formatCount,
  fallbacks: formatCount,
};

/** How a model series' key reads: "(none)" for calls without one; release ids through `releaseName`. */
export function modelKeyLabel(
  key: string,
  groupBy: EnvironmentModelTrafficDto['groupBy'],
  releaseName: (id: string) => string | null,
): string {
  if (key === '') return '(none)';
  if (groupBy === 'release') return releaseName(key) ?? key.slice(0, 8);
  return key;
}

/** One metric of model traffic, one line per alias / feature / release. */
export function modelMetricChart(
  m: EnvironmentModelTrafficDto,
  metric: ModelMetric,
  releaseName: (id: string) => string | null = () => null,
): ChartSpec {
  return {
    time: m.time,
    series: m.series.map((s, i) => {
      const label = modelKeyLabel(s.key, m.groupBy, releaseName);
      const number = m.groupBy === 'release' ? Number(label.replace(/^v/, '')) : NaN;
      return { label, color: Number.isInteger(number) ? releaseColor(number) : keyColor(i), values: s[metric] };
    }),
    format: MODEL_FORMATS[metric],
    zeroBased: true,
  };
}

/** Input, output and cached tokens per slot, summed over every key. */
export function tokensChart(m: EnvironmentModelTrafficDto): ChartSpec {
  const sum = (pick: (s: EnvironmentModelTrafficDto['series'][number]) => number[]) =>
    m.time.map((_, i) => m.series.reduce((acc, s) => acc + (pick(s)[i] ?? 0), 0));
  return {
    time: m.time,
    series: [
      { label: 'input', color: keyColor(0), values: sum((s) => s.inputTokens) },
      { label: 'output', color: keyColor(1), values: sum((s) => s.outputTokens) },
      { label: 'cached', color: keyColor(2), values: sum((s) => s.cachedTokens), dash: [4, 4] },
    ],
    format: formatCount,
    zeroBased: true,
  };
}
