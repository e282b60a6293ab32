import { Registry, type Metric } from 'prom-client';

/** The content type of the text format prom-client renders (0.0.4). */
export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

export type Labels = Record<string, string | number>;

export interface ValueSample {
  labels: Labels;
  value: number;
}

export interface HistogramSample {
  labels: Labels;
  /** Observations per bucket, not cumulative; one more entry than `buckets` (the +Inf bucket). */
  counts: readonly number[];
  sum: number;
}

/** One line of the page, as prom-client's registry reads it from a metric's `get()`. */
interface Line {
  metricName?: string;
  labels: Labels;
  value: number;
}

interface CollectedDefinition {
  name: string;
  help: string;
}

/**
 * A metric whose values live in the caller's own counters (plain increments on a hot path) and
 * are read only when the registry renders: prom-client's own `inc()`/`observe()` validate and hash
 * the label set on every call (≈ 1.5 µs per request for a counter and a histogram, 7× the edge's
 * own counters; docs/benchmarks.md). prom-client still names, escapes and formats every line.
 */
function register(registry: Registry, name: string, help: string, type: 'counter' | 'gauge' | 'histogram', values: () => Line[]): void {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric);
}

/** A counter (or gauge) read from the caller's counters at scrape time; a series missing from `read()` is gone from the page. */
export function registerCollected(
  registry: Registry,
  def: CollectedDefinition & { type: 'counter' | 'gauge'; read: () => Iterable<ValueSample> },
): void {
  register(registry, def.name, def.help, def.type, () => [...def.read()].map((s) => ({ labels: s.labels, value: s.value })));
}

/**
 * A histogram read from per-bucket counts at scrape time. `scale` divides bounds and sums (ms
 * counters exposed in seconds: 1000), so one set of counts serves two unit conventions.
 */
export function registerCollectedHistogram(
  registry: Registry,
  def: CollectedDefinition & { buckets: readonly number[]; scale?: number; read: () => Iterable<HistogramSample> },
): void {
  const scale = def.scale ?? 1;
  const les = [...def.buckets.map((b) => b / scale), '+Inf'] as const;
  register(registry, def.name, def.help, 'histogram', () => {
    const out: Line[] = [];
    for (const s of def.read()) {
      let cumulative = 0;
      les.forEach((le, i) => {
        cumulative += s.counts[i] ?? 0;
        out.push({ metricName: `${def.name}_bucket`, labels: { ...s.labels, le }, value: cumulative });
      });
      // Scaled sums are rounded to 1e-6 of the exposed unit, so ms → s shows no float noise.
      out.push({ metricName: `${def.name}_sum`, labels: s.labels, value: scale === 1 ? s.sum : Math.round((s.sum / scale) * 1e6) / 1e6 });
      out.push({ metricName: `${def.name}_count`, labels: s.labels, value: cumulative });
    }
    return out;
  });
}
