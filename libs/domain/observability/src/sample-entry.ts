import { parseEdgeMetrics, EDGE_METRICS_FIELD, type StreamEntry } from '@slipway/redis';
import { HISTOGRAM_LENGTH, sameBounds } from './histogram';
import type { SampleInput } from './traffic-storage.repository';

const COUNT_MAX = Number.MAX_SAFE_INTEGER;
const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0 && n <= COUNT_MAX;

/**
 * The sample in one edge stream entry, or why it cannot be stored (it is then logged and
 * acknowledged: one bad entry never stalls the stream). Counts must be whole and non-negative,
 * the histogram must use the shared bounds (arrays of other bounds would not merge), and the
 * window must be a real interval.
 */
export function parseSampleEntry(
  entry: StreamEntry,
): { sample: SampleInput; problem?: undefined } | { sample?: undefined; problem: string } {
  if (!entry.fields) return { problem: 'the entry was trimmed before it was read' };
  const parsed = parseEdgeMetrics(entry.fields[EDGE_METRICS_FIELD]);
  if (!parsed.metrics) return { problem: parsed.problem };
  const m = parsed.metrics;
  if (!sameBounds(m.latencyBucketsMs))
    return { problem: `latency buckets ${JSON.stringify(m.latencyBucketsMs)} are not the shared bounds` };
  if (m.latencyCounts.length !== HISTOGRAM_LENGTH)
    return { problem: `${m.latencyCounts.length} latency counts, expected ${HISTOGRAM_LENGTH}` };
  const counts = [m.requests, m.status['2xx'], m.status['3xx'], m.status['4xx'], m.status['5xx'], ...m.latencyCounts];
  if (!counts.every(isCount)) return { problem: 'a count is negative or not a safe integer' };
  const windowStart = new Date(m.from);
  const windowEnd = new Date(m.to);
  if (Number.isNaN(windowStart.getTime()) || Number.isNaN(windowEnd.getTime()) || windowEnd < windowStart)
    return { problem: `window ${m.from} … ${m.to} is not an interval` };
  if (!m.releaseId) return { problem: 'no release id' };
  const paths = m.paths ?? [];
  for (const p of paths) {
    if (p.latencyCounts.length !== HISTOGRAM_LENGTH) return { problem: `path ${p.path}: ${p.latencyCounts.length} latency counts, expected ${HISTOGRAM_LENGTH}` };
    if (![p.requests, p.status4xx, p.status5xx, ...p.latencyCounts].every(isCount)) return { problem: `path ${p.path}: a count is negative or not a safe integer` };
  }
  // Path totals must equal the release's, or the top-paths panel would disagree with the charts.
  if (m.paths && paths.reduce((n, p) => n + p.requests, 0) !== m.requests)
    return { problem: `the paths' requests do not add up to the release's ${m.requests}` };
  return {
    sample: {
      streamId: entry.id,
      releaseId: m.releaseId,
      windowStart,
      windowEnd,
      requests: m.requests,
      status2xx: m.status['2xx'],
      status3xx: m.status['3xx'],
      status4xx: m.status['4xx'],
      status5xx: m.status['5xx'],
      latencyCounts: [...m.latencyCounts],
      paths: paths.map((p) => ({ path: p.path, requests: p.requests, status4xx: p.status4xx, status5xx: p.status5xx, latencyCounts: [...p.latencyCounts] })),
    },
  };
}
