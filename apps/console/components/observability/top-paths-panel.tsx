'use client';

import type { TopPathsQuery } from '@slipway/contracts';
import { useState } from 'react';
import { formatCount, formatMs, formatPercent } from '../../lib/observability/format';
import { useRangeQuery } from '../../lib/observability/use-range-query';
import { usePage } from './page-context';
import { Panel } from './panel';

type Sort = TopPathsQuery['sort'];
const SORTS: { value: Sort; label: string }[] = [
  { value: 'requests', label: 'Requests' },
  { value: 'errors', label: 'Errors' },
  { value: 'latency', label: 'p95' },
];

/** Paths by requests, errors or p95 (sorted by the api, which sees every path), for one release or all. */
export function TopPathsPanel({ releases }: { releases: { id: string; label: string }[] }) {
  const page = usePage();
  const [sort, setSort] = useState<Sort>('requests');
  const [release, setRelease] = useState('');
  const q = useRangeQuery('environmentTopPaths', page.params, page.range, { query: { sort, release: release || undefined, limit: 20 } });

  return (
    <Panel
      title="Top paths"
      query={q}
      empty={q.data && q.data.paths.length === 0 ? 'No requests in the range.' : null}
      minHeight={160}
      actions={
        <label className="flex items-center gap-1 text-xs text-zinc-600">
          Release
          <select
            value={release}
            onChange={(e) => setRelease(e.target.value)}
            className="rounded border border-zinc-300 bg-white px-1.5 py-0.5 text-xs"
          >
            <option value="">All releases</option>
            {releases.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {() => (
        <table aria-label="Top paths" className="w-full text-sm">
          <thead className="text-xs text-zinc-500">
            <tr>
              <th className="text-left font-normal">Path</th>
              {SORTS.map((s) => (
                <th key={s.value} className="text-right font-normal" aria-sort={sort === s.value ? 'descending' : 'none'}>
                  <button
                    type="button"
                    onClick={() => setSort(s.value)}
                    className={`hover:text-zinc-900 ${sort === s.value ? 'font-semibold text-zinc-900' : ''}`}
                  >
                    {s.label}
                    {sort === s.value ? ' ↓' : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {q.data!.paths.map((p) => (
              <tr key={p.path} aria-label={p.path} className="border-t border-zinc-100">
                <td className="max-w-0 truncate py-1 font-mono text-xs" title={p.path}>
                  {p.path}
                </td>
                <td className="text-right tabular-nums">{formatCount(p.requests)}</td>
                <td className="text-right tabular-nums">
                  {formatCount(p.status5xx + p.status4xx)}
                  <span className={`ml-1 text-xs ${p.status5xx > 0 ? 'text-red-700' : 'text-zinc-400'}`}>
                    ({formatCount(p.status5xx)} 5xx, {formatPercent(p.requests ? p.status5xx / p.requests : null)})
                  </span>
                </td>
                <td className="text-right tabular-nums">{formatMs(p.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
