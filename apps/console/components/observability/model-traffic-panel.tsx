'use client';

import type { ModelTrafficQuery } from '@slipway/contracts';
import { useState } from 'react';
import { formatCount, formatUsd } from '../../lib/observability/format';
import { useRangeQuery } from '../../lib/observability/use-range-query';
import {
  isEmptySpec,
  MODEL_METRIC_LABELS,
  MODEL_METRICS,
  modelMetricChart,
  tokensChart,
  type ModelMetric,
} from '../../lib/observability/series';
import { Chart, usePage } from './page-context';
import { Panel, Segmented } from './panel';
import { ChartBlock } from './traffic-panel';

type GroupBy = ModelTrafficQuery['groupBy'];
const GROUPS = [
  { value: 'alias', label: 'Alias' },
  { value: 'feature', label: 'Feature' },
  { value: 'release', label: 'Release' },
] as const;
const METRICS = MODEL_METRICS.map((m) => ({ value: m, label: MODEL_METRIC_LABELS[m] }));

/** Model calls through the gateway on the same axis: one metric at a time by alias, feature or release, tokens, errors by category. */
export function ModelTrafficPanel({ points, releaseName }: { points: number; releaseName: (id: string) => string | null }) {
  const page = usePage();
  const [groupBy, setGroupBy] = useState<GroupBy>('alias');
  const [metric, setMetric] = useState<ModelMetric>('calls');
  const q = useRangeQuery('environmentModelTraffic', page.params, page.range, { query: { points, groupBy } });
  const data = q.data;

  return (
    <Panel
      title="Model traffic"
      description="Calls through the model gateway by this environment's keys."
      query={q}
      empty={data && data.totals.calls === 0 ? 'No model calls in the range.' : null}
      minHeight={520}
      actions={<Segmented label="Group model traffic by" options={GROUPS} value={groupBy} onChange={setGroupBy} />}
    >
      {() => {
        const d = data!;
        const chart = modelMetricChart(d, metric, releaseName);
        return (
          <div className="flex flex-col gap-4">
            <dl aria-label="Model traffic totals" className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
              <Total label="Calls" value={formatCount(d.totals.calls)} />
              <Total label="Cost" value={formatUsd(d.totals.costUsd)} />
              <Total label="Input tokens" value={formatCount(d.totals.inputTokens)} />
              <Total label="Output tokens" value={formatCount(d.totals.outputTokens)} />
              <Total label="Cached tokens" value={formatCount(d.totals.cachedTokens)} />
            </dl>
            <div className="flex flex-col gap-1">
              <Segmented label="Model metric" options={METRICS} value={metric} onChange={setMetric} />
              {isEmptySpec(chart) ? (
                <p className="py-6 text-center text-sm text-zinc-500">No {MODEL_METRIC_LABELS[metric].toLowerCase()} in the range.</p>
              ) : (
                <Chart label={`Model ${MODEL_METRIC_LABELS[metric].toLowerCase()} by ${groupBy}`} spec={chart} />
              )}
            </div>
            <ChartBlock title="Tokens (input, output, cached)">
              <Chart label="Model tokens" spec={tokensChart(d)} height={140} />
            </ChartBlock>
            <div>
              <h3 className="mb-1 text-xs font-medium text-zinc-600">Errors by category</h3>
              {d.errorsByCategory.length === 0 ? (
                <p className="text-xs text-zinc-500">No failed calls.</p>
              ) : (
                <ul aria-label="Model errors by category" className="flex flex-wrap gap-2 text-xs">
                  {d.errorsByCategory.map((e) => (
                    <li key={e.category} className="rounded bg-red-50 px-2 py-0.5 text-red-800 ring-1 ring-red-200 ring-inset">
                      {e.category}: {formatCount(e.count)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        );
      }}
    </Panel>
  );
}

function Total({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md border border-zinc-200 px-2.5 py-1.5">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}
