import { PROMETHEUS_CONTENT_TYPE, Registry, registerCollected, registerCollectedHistogram, type Labels } from '@slipway/metrics';

/**
 * The gateway's in-process metric families: counters, gauges and histograms with a fixed list of
 * label names each. Updates are a map lookup and a few additions (cheap on the request path);
 * the page is rendered by prom-client (`@slipway/metrics`) from these values at scrape time.
 */
export { PROMETHEUS_CONTENT_TYPE };

interface Family {
  registerIn(registry: Registry): void;
}

abstract class LabelledFamily<S> implements Family {
  protected readonly series = new Map<string, { values: readonly string[]; data: S }>();

  constructor(
    readonly name: string,
    protected readonly help: string,
    protected readonly labelNames: readonly string[],
  ) {}

  protected abstract create(): S;
  abstract registerIn(registry: Registry): void;

  protected at(values: readonly string[]): S {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { values: [...values], data: this.create() };
      this.series.set(key, s);
    }
    return s.data;
  }

  /** Empty values are left out: Prometheus treats a missing label and an empty one alike. */
  protected labels(values: readonly string[]): Labels {
    const out: Labels = {};
    this.labelNames.forEach((n, i) => {
      const v = values[i] ?? '';
      if (v !== '') out[n] = v;
    });
    return out;
  }
}

export class CounterFamily extends LabelledFamily<{ value: number }> {
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, labelNames);
  }

  inc(values: readonly string[], by = 1): void {
    this.at(values).value += by;
  }

  /** The series of these label values, to update without looking it up again. */
  child(values: readonly string[]): { inc(by?: number): void } {
    let data: { value: number } | undefined; // created on first use: no zero series
    return {
      inc: (by = 1) => {
        (data ??= this.at(values)).value += by;
      },
    };
  }

  protected create() {
    return { value: 0 };
  }

  /** The value as exposed (a scaled counter divides it). */
  protected exposed(value: number): number {
    return value;
  }

  registerIn(registry: Registry): void {
    registerCollected(registry, {
      name: this.name,
      help: this.help,
      type: 'counter',
      read: () => [...this.series.values()].map((s) => ({ labels: this.labels(s.values), value: this.exposed(s.data.value) })),
    });
  }
}

/** A counter kept in integer units and exposed divided by `scale` (micro-USD → USD), so sums never drift. */
export class ScaledCounterFamily extends CounterFamily {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly scale: number,
  ) {
    super(name, help, labelNames);
  }

  protected override exposed(value: number): number {
    return value / this.scale;
  }
}

export class GaugeFamily extends LabelledFamily<{ value: number }> {
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, labelNames);
  }

  set(values: readonly string[], value: number): void {
    this.at(values).value = value;
  }

  protected create() {
    return { value: 0 };
  }

  registerIn(registry: Registry): void {
    registerCollected(registry, {
      name: this.name,
      help: this.help,
      type: 'gauge',
      read: () => [...this.series.values()].map((s) => ({ labels: this.labels(s.values), value: s.data.value })),
    });
  }
}

interface HistogramData {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: number[];
  sum: number;
}

export class HistogramFamily extends LabelledFamily<HistogramData> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
  }

  observe(values: readonly string[], v: number): void {
    this.record(this.at(values), v);
  }

  /** The series of these label values, to update without looking it up again. */
  child(values: readonly string[]): { observe(v: number): void } {
    let data: HistogramData | undefined; // created on first use: no zero series
    return { observe: (v) => this.record((data ??= this.at(values)), v) };
  }

  private record(h: HistogramData, v: number): void {
    let i = 0;
    while (i < this.buckets.length && v > this.buckets[i]!) i++;
    h.counts[i]! += 1;
    h.sum += v;
  }

  protected create(): HistogramData {
    return { counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0 };
  }

  registerIn(registry: Registry): void {
    registerCollectedHistogram(registry, {
      name: this.name,
      help: this.help,
      buckets: this.buckets,
      read: () => [...this.series.values()].map((s) => ({ labels: this.labels(s.values), counts: s.data.counts, sum: s.data.sum })),
    });
  }
}

/** A registry renders its families in registration order. */
export class MetricsRegistry {
  private readonly registry = new Registry();

  register<F extends Family>(family: F): F {
    family.registerIn(this.registry);
    return family;
  }

  /** The text exposition format (prom-client renders asynchronously). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * Keeps a label's cardinality bounded: the first `max` distinct values pass, later ones become
 * `other`. Model names come from clients, so without this a caller could grow the series set.
 */
export class BoundedLabel {
  static readonly OTHER = 'other';
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(v: string): string {
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return BoundedLabel.OTHER;
    this.seen.add(v);
    return v;
  }
}
