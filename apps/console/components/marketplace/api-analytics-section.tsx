'use client';

import type { ApiListingDto } from '@slipway/contracts';
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { useApiQuery } from '../../lib/api-query';
import { formatMicros } from '../../lib/marketplace/money';
import { formatCount, formatMs } from '../../lib/observability/format';
import { useOrg } from '../../lib/org';
import { Segmented } from '../observability/panel';
import { Empty, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { DailyBarsChart } from './usage-chart';

const RANGES = [
  { value: '1', label: '24 h' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
] as const;

/** Calls, errors and latency from usage events; revenue by plan and by consumer (the subscribers) from invoice lines. */
export function ApiAnalyticsSection({ listing }: { listing: ApiListingDto }) {
  const org = useOrg();
  const [days, setDays] = useState<'1' | '7' | '30'>('7');
  // The window starts at a whole minute so the cache key holds still between renders.
  const from = new Date(Math.floor((Date.now() - Number(days) * 86_400_000) / 60_000) * 60_000).toISOString();
  const q = useApiQuery(
    'apiAnalytics',
    { org: org.slug, api: listing.slug },
    { query: { from, points: 60 }, placeholderData: keepPreviousData, refetchInterval: 30_000 },
  );
  return (
    <Section
      title="Analytics and subscribers"
      actions={<Segmented label="Analytics range" options={RANGES} value={days} onChange={setDays} />}
    >
      <ResourceState query={q} what="analytics">
        {(a) => (
          <div className="flex flex-col gap-4">
            <dl aria-label="Analytics totals" className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-6">
              {(
                [
                  ['Calls', formatCount(a.totals.calls)],
                  ['Test calls', formatCount(a.totals.testCalls)],
                  ['5xx', formatCount(a.totals.errors)],
                  ['p50', formatMs(a.totals.p50Ms)],
                  ['p95', formatMs(a.totals.p95Ms)],
                  ['Revenue', formatMicros(a.totals.revenueMicros)],
                ] as const
              ).map(([label, v]) => (
                <div key={label} className="rounded-md border border-zinc-200 px-2.5 py-1.5">
                  <dt className="text-xs text-zinc-500">{label}</dt>
                  <dd className="font-medium tabular-nums">{v}</dd>
                </div>
              ))}
            </dl>
            <DailyBarsChart
              label="Calls and errors over time"
              days={a.time}
              height={140}
              series={[
                { label: 'Calls', color: '#2563eb', values: a.series.calls },
                { label: '5xx', color: '#dc2626', values: a.series.errors },
              ]}
            />
            <div className="grid gap-4 lg:grid-cols-2">
              <div>
                <h3 className="mb-1 text-xs font-semibold text-zinc-700">Revenue by plan</h3>
                {a.revenueByPlan.length === 0 ? (
                  <Empty>No revenue in the range.</Empty>
                ) : (
                  <Table label="Revenue by plan" head={['Plan', 'Revenue']}>
                    {a.revenueByPlan.map((p) => (
                      <tr key={p.planId}>
                        <Td>{p.planName}</Td>
                        <Td className="tabular-nums">{formatMicros(p.amountMicros)}</Td>
                      </tr>
                    ))}
                  </Table>
                )}
              </div>
              <div>
                <h3 className="mb-1 text-xs font-semibold text-zinc-700">Subscribers</h3>
                {a.revenueByConsumer.length === 0 ? (
                  <Empty>No subscriber called in the range.</Empty>
                ) : (
                  <Table label="Revenue by consumer" head={['Consumer', 'Calls', 'Revenue']}>
                    {a.revenueByConsumer.map((c) => (
                      <tr key={c.organizationId} aria-label={c.organizationName}>
                        <Td>{c.organizationName}</Td>
                        <Td className="tabular-nums">{formatCount(c.calls)}</Td>
                        <Td className="tabular-nums">{formatMicros(c.amountMicros)}</Td>
                      </tr>
                    ))}
                  </Table>
                )}
              </div>
            </div>
          </div>
        )}
      </ResourceState>
    </Section>
  );
}
