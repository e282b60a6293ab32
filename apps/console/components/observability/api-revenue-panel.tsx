'use client';

import { formatCount } from '../../lib/observability/format';
import { useApiQuery } from '../../lib/api-query';
import { formatMicros } from '../../lib/marketplace/money';
import { apiCallsChart, apiRevenueByPlanChart, revenueTotals } from '../../lib/marketplace/revenue';
import { isEmptySpec } from '../../lib/observability/series';
import { useRangeQuery } from '../../lib/observability/use-range-query';
import { Chart, usePage } from './page-context';
import { Panel } from './panel';
import { ChartBlock } from './traffic-panel';

/**
 * Calls and revenue by plan of the APIs published from this environment, on the page's axis.
 * Renders nothing when the environment has no listing (the page stays as it was).
 */
export function ApiRevenuePanel({ points }: { points: number }) {
  const page = usePage();
  const listings = useApiQuery('listApiListings', { org: page.org });
  const mine = (listings.data ?? []).filter((l) => l.project === page.project && l.environment === page.env);
  if (mine.length === 0) return null;
  return <RevenueBody points={points} names={mine.map((l) => l.name)} />;
}

function RevenueBody({ points, names }: { points: number; names: string[] }) {
  const page = usePage();
  const q = useRangeQuery('environmentApiRevenue', page.params, page.range, { query: { points } });
  const data = q.data;
  return (
    <Panel
      title="API revenue"
      description={`Published as ${names.join(', ')}: billed calls and revenue by plan (from invoice lines).`}
      query={q}
      minHeight={360}
    >
      {() => {
        const d = data!;
        const totals = revenueTotals(d);
        const calls = apiCallsChart(d);
        const revenue = apiRevenueByPlanChart(d);
        return (
          <div className="flex flex-col gap-4">
            <dl aria-label="API revenue totals" className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
              <div className="rounded-md border border-zinc-200 px-2.5 py-1.5">
                <dt className="text-xs text-zinc-500">Calls</dt>
                <dd className="font-medium tabular-nums">{formatCount(totals.calls)}</dd>
              </div>
              <div className="rounded-md border border-zinc-200 px-2.5 py-1.5">
                <dt className="text-xs text-zinc-500">Revenue</dt>
                <dd className="font-medium tabular-nums">{formatMicros(totals.totalMicros)}</dd>
              </div>
              {totals.plans.slice(0, 2).map((p) => (
                <div key={p.planName} className="rounded-md border border-zinc-200 px-2.5 py-1.5">
                  <dt className="text-xs text-zinc-500">{p.planName}</dt>
                  <dd className="font-medium tabular-nums">{formatMicros(p.micros)}</dd>
                </div>
              ))}
            </dl>
            <ChartBlock title="Billed calls">
              {isEmptySpec(calls) ? (
                <p className="py-4 text-center text-sm text-zinc-500">No billed calls in the range.</p>
              ) : (
                <Chart label="API calls" spec={calls} height={140} />
              )}
            </ChartBlock>
            <ChartBlock title="Revenue by plan">
              {isEmptySpec(revenue) ? (
                <p className="py-4 text-center text-sm text-zinc-500">No revenue in the range.</p>
              ) : (
                <Chart label="API revenue by plan" spec={revenue} height={140} />
              )}
            </ChartBlock>
          </div>
        );
      }}
    </Panel>
  );
}
