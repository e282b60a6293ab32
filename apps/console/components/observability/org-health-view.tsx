'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { formatRelative } from '../../lib/format';
import { formatCount, formatMs, formatPercent, formatUsd, releaseLabel } from '../../lib/observability/format';
import { worstFirst } from '../../lib/observability/health';
import { VERDICT_LABELS, VERDICT_TONES } from '../../lib/observability/markers';
import { isLive, parseRange, rangeSearch, withRange, type TimeRange } from '../../lib/observability/range';
import { useRangeQuery } from '../../lib/observability/use-range-query';
import { useOrg } from '../../lib/org';
import { Badge, PageHeader } from '../ui/layout-bits';
import { Panel } from './panel';
import { RangePicker } from './range-picker';

/** Every environment of the organization, worst first; a row opens the project's page with the same range. */
export function OrgHealthView() {
  const org = useOrg();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const range = useMemo(() => parseRange(search), [search]);
  const setRange = (r: TimeRange) => router.push(`${pathname}?${withRange(search, r).toString()}`, { scroll: false });
  const q = useRangeQuery('organizationHealth', { org: org.slug }, range);
  const rows = useMemo(() => worstFirst(q.data?.environments ?? []), [q.data]);

  return (
    <>
      <PageHeader title="Observability" description="Every project and environment over the same range, the one needing attention first." />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <RangePicker key={JSON.stringify(range)} range={range} onChange={setRange} />
        <span className="text-xs text-zinc-500">{isLive(range) ? 'Live' : 'Fixed range: not refreshing'}</span>
      </div>
      <Panel
        title="Environments"
        query={q}
        empty={q.data && rows.length === 0 ? 'No project has an environment yet.' : null}
        minHeight={160}
      >
        {() => (
          <table aria-label="Environment health" className="w-full text-sm">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th className="text-left font-normal">Project / environment</th>
                <th className="text-left font-normal">Live release</th>
                <th className="text-left font-normal">Verdict</th>
                <th className="text-right font-normal">Requests</th>
                <th className="text-right font-normal">5xx rate</th>
                <th className="text-right font-normal">p95</th>
                <th className="text-right font-normal">Model cost</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const href = `/o/${org.slug}/projects/${r.project.slug}/observability?env=${encodeURIComponent(r.environment)}&${rangeSearch(range)}`;
                return (
                  <tr
                    key={`${r.project.slug}/${r.environment}`}
                    aria-label={`${r.project.name} ${r.environment}`}
                    className="border-t border-zinc-100"
                  >
                    <td className="py-1.5">
                      <Link href={href} className="font-medium text-blue-700 hover:underline">
                        {r.project.name}
                      </Link>{' '}
                      <span className="text-zinc-500">{r.environment}</span>
                    </td>
                    <td>
                      {r.liveReleaseNumber !== null ? releaseLabel(r.liveReleaseNumber) : '—'}
                      {r.lastDeployAt ? <span className="ml-1 text-xs text-zinc-400">{formatRelative(r.lastDeployAt)}</span> : null}
                    </td>
                    <td>
                      {r.verdict ? (
                        <Badge tone={VERDICT_TONES[r.verdict]}>{VERDICT_LABELS[r.verdict]}</Badge>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                    <td className="text-right tabular-nums">{formatCount(r.requests)}</td>
                    <td className={`text-right tabular-nums ${(r.rate5xx ?? 0) >= 0.01 ? 'font-medium text-red-700' : ''}`}>
                      {formatPercent(r.rate5xx)}
                    </td>
                    <td className="text-right tabular-nums">{formatMs(r.p95Ms)}</td>
                    <td className="text-right tabular-nums">{formatUsd(r.modelCostUsd)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
