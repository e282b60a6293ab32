'use client';

import { useState } from 'react';
import { formatCount, formatMs, formatPercent } from '../../lib/observability/format';
import { useRangeQuery } from '../../lib/observability/use-range-query';
import {
  errorRateChart,
  isEmptySpec,
  latencyChart,
  releaseSummaries,
  requestsChart,
  type Percentile,
} from '../../lib/observability/series';
import { Chart, usePage } from './page-context';
import { Panel, Segmented } from './panel';

const PERCENTILES = [
  { value: 'p50', label: 'p50' },
  { value: 'p95', label: 'p95' },
  { value: 'p99', label: 'p99' },
] as const;

/** App traffic from the edge, one colour per release: requests/s, a latency percentile, 4xx/5xx rates, and each release's totals. */
export function TrafficPanel({ points }: { points: number }) {
  const page = usePage();
  const [percentile, setPercentile] = useState<Percentile>('p95');
  const q = useRangeQuery('environmentTraffic', page.params, page.range, { query: { points } });
  const data = q.data;
  const requests = data ? requestsChart(data) : null;

  return (
    <Panel
      title="App traffic"
      description="Requests through the edge, by release. Drag across a chart to filter the logs to that time."
      query={q}
      empty={requests && isEmptySpec(requests) ? 'No requests reached this environment in the range.' : null}
      minHeight={720}
      actions={<Segmented label="Latency percentile" options={PERCENTILES} value={percentile} onChange={setPercentile} />}
    >
      {() => (
        <div className="flex flex-col gap-4">
          {releaseLegend()}
          <ChartBlock title="Requests per second">
            <Chart label="Requests per second by release" spec={requests!} />
          </ChartBlock>
          <ChartBlock title={`Latency ${percentile}`}>
            <Chart label={`Latency ${percentile} by release`} spec={latencyChart(data!, percentile)} />
          </ChartBlock>
          <ChartBlock title="Error rate (5xx solid, 4xx dashed)">
            <Chart label="4xx and 5xx rate by release" spec={errorRateChart(data!)} />
          </ChartBlock>
        </div>
      )}
    </Panel>
  );

  function releaseLegend() {
    const rows = releaseSummaries(data!);
    return (
      <table aria-label="Releases in range" className="w-full text-sm">
        <thead className="text-xs text-zinc-500">
          <tr>
            <th className="text-left font-normal">Release</th>
            <th className="text-right font-normal">Requests</th>
            <th className="text-right font-normal">5xx rate</th>
            <th className="text-right font-normal">4xx rate</th>
            <th className="text-right font-normal">p95</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.releaseId} aria-label={r.label} className={r.worst ? 'text-red-700' : ''}>
              <td className="py-0.5">
                <span className="inline-flex items-center gap-1.5">
                  <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ background: r.color }} />
                  <span className="font-medium">{r.label}</span>
                  {r.worst ? <span className="rounded bg-red-50 px-1 text-xs ring-1 ring-red-200 ring-inset">highest 5xx rate</span> : null}
                </span>
              </td>
              <td className="text-right tabular-nums">{formatCount(r.requests)}</td>
              <td className="text-right tabular-nums">{formatPercent(r.rate5xx)}</td>
              <td className="text-right tabular-nums">{formatPercent(r.rate4xx)}</td>
              <td className="text-right tabular-nums">{formatMs(r.p95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
}

export function ChartBlock({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-xs font-medium text-zinc-600">{title}</h3>
      {children}
    </div>
  );
}
