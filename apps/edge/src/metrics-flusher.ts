import type { EdgeMetrics } from '@slipway/contracts';
import type { EdgeMetricsCollector } from './metrics';
import type { RouteTable } from './route-table';

export interface MetricsSink {
  append(entries: readonly EdgeMetrics[]): Promise<unknown>;
}

export interface MetricsFlusher {
  /** Drain the window and send it; entries are dropped when the sink fails or is still busy. */
  flush(): Promise<void>;
  stop(): void;
  readonly dropped: number;
}

/** Every `intervalMs`, one stream entry per release that had traffic. Never blocks requests. */
export function startMetricsFlusher(options: { metrics: EdgeMetricsCollector; routes: RouteTable; sink: MetricsSink; intervalMs?: number }): MetricsFlusher {
  const { metrics, routes, sink } = options;
  let busy = false;
  let dropped = 0;
  const flush = async (): Promise<void> => {
    const entries = metrics.drain();
    metrics.forgetExcept(new Set((routes.table?.routes ?? []).map((r) => r.releaseId)));
    if (entries.length === 0) return;
    if (busy) {
      dropped += entries.length;
      return;
    }
    busy = true;
    try {
      await sink.append(entries);
    } catch {
      dropped += entries.length; // Redis down: these counters are lost, by design
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void flush(), options.intervalMs ?? 10_000).unref();
  return {
    flush,
    stop: () => clearInterval(timer),
    get dropped() {
      return dropped;
    },
  };
}
