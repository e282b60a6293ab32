/**
 * Just enough of Prometheus' text exposition format (version 0.0.4) for the gateway's
 * in-process metrics: counters, gauges and histograms with a fixed list of label names each.
 * Updates are a map lookup and a few additions, cheap enough for the request hot path.
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Family {
  render(out: string[]): void;
}

abstract class LabelledFamily<S> implements Family {
  protected readonly series = new Map<string, { values: readonly string[]; data: S }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly type: 'counter' | 'gauge' | 'histogram',
    protected readonly labelNames: readonly string[],
  ) {}

  protected abstract create(): S;
  protected abstract lines(labels: string, data: S, out: string[]): void;

  protected at(values: readonly string[]): S {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { values: [...values], data: this.create() };
      this.series.set(key, s);
    }
    return s.data;
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`);
    for (const { values, data } of this.series.values()) this.lines(labelText(this.labelNames, values), data, out);
  }
}

export class CounterFamily extends LabelledFamily<{ value: number }> {
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, 'counter', labelNames);
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

  protected lines(labels: string, data: { value: number }, out: string[]): void {
    out.push(`${this.name}${wrap(labels)} ${num(data.value)}`);
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

  protected override lines(labels: string, data: { value: number }, out: string[]): void {
    out.push(`${this.name}${wrap(labels)} ${num(data.value / this.scale)}`);
  }
}

export class GaugeFamily extends LabelledFamily<{ value: number }> {
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, 'gauge', labelNames);
  }

  set(values: readonly string[], value: number): void {
    this.at(values).value = value;
  }

  protected create() {
    return { value: 0 };
  }

  protected lines(labels: string, data: { value: number }, out: string[]): void {
    out.push(`${this.name}${wrap(labels)} ${num(data.value)}`);
  }
}

interface HistogramData {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

export class HistogramFamily extends LabelledFamily<HistogramData> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram', labelNames);
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
    h.count += 1;
  }

  protected create(): HistogramData {
    return { counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
  }

  protected lines(labels: string, h: HistogramData, out: string[]): void {
    const sep = labels ? `${labels},` : '';
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += h.counts[i]!;
      out.push(`${this.name}_bucket{${sep}le="${num(le)}"} ${cumulative}`);
    });
    out.push(
      `${this.name}_bucket{${sep}le="+Inf"} ${h.count}`,
      `${this.name}_sum${wrap(labels)} ${num(h.sum)}`,
      `${this.name}_count${wrap(labels)} ${h.count}`,
    );
  }
}

/** A registry renders its families in registration order. */
export class MetricsRegistry {
  private readonly families: Family[] = [];

  register<F extends Family>(family: F): F {
    this.families.push(family);
    return family;
  }

  render(): string {
    const out: string[] = [];
    for (const f of this.families) f.render(out);
    return out.join('\n') + '\n';
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

/** Empty values are left out: Prometheus treats a missing label and an empty one alike. */
function labelText(names: readonly string[], values: readonly string[]): string {
  const parts: string[] = [];
  names.forEach((n, i) => {
    const v = values[i] ?? '';
    if (v !== '') parts.push(`${n}="${escapeLabel(v)}"`);
  });
  return parts.join(',');
}

const wrap = (labels: string) => (labels ? `{${labels}}` : '');

function escapeLabel(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}
