'use client';

import { useRangeQuery } from '../../lib/observability/use-range-query';
import { cpuChart, memoryChart } from '../../lib/observability/series';
import { Chart, usePage } from './page-context';
import { Panel } from './panel';
import { ChartBlock } from './traffic-panel';

/** CPU and memory of every replica against the limits it runs with (the dashed red line). */
export function ResourcesPanel({ points }: { points: number }) {
  const page = usePage();
  const q = useRangeQuery('environmentResources', page.params, page.range, { query: { points } });
  return (
    <Panel
      title="Resources"
      description="Per replica, sampled by the worker from Docker. Restarts and OOM kills appear as light markers."
      query={q}
      empty={q.data && q.data.replicas.length === 0 ? 'No replica ran in the range.' : null}
      minHeight={480}
    >
      {() => (
        <div className="flex flex-col gap-4">
          <ChartBlock title="CPU (% of one core)">
            <Chart label="CPU per replica against its limit" spec={cpuChart(q.data!)} />
          </ChartBlock>
          <ChartBlock title="Memory">
            <Chart label="Memory per replica against its limit" spec={memoryChart(q.data!)} />
          </ChartBlock>
        </div>
      )}
    </Panel>
  );
}
