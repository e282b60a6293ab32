'use client';

import { LOG_LEVELS, type LogLineDto } from '@slipway/contracts';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../../lib/api';
import { apiQueryKey } from '../../lib/api-query';
import { formatClock } from '../../lib/format';
import { releaseLabel } from '../../lib/observability/format';
import { isLive, rangeKey, rangeQuery, type TimeRange } from '../../lib/observability/range';
import { usePage } from './page-context';
import { Panel } from './panel';

const PAGE = 100;
/** Lines kept from the live tail before the oldest are dropped (the "load older" pages still reach them). */
const TAIL_MAX = 1_000;
const TAIL_EVERY_MS = 5_000;

const LEVEL_TONES: Record<LogLineDto['level'], string> = {
  debug: 'text-zinc-400',
  info: 'text-zinc-600',
  warn: 'text-amber-700',
  error: 'text-red-700',
};

/**
 * Logs of every replica, newest first: text search, level and release filters, "load older"
 * through the api's cursor, a live tail (`after` the newest line) while the range ends now, and
 * the time range selected on any chart.
 */
export function LogsPanel({ releases }: { releases: { id: string; label: string }[] }) {
  const page = usePage();
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [level, setLevel] = useState('');
  const [release, setRelease] = useState('');
  const span: TimeRange = page.selection ? { kind: 'custom', from: page.selection.from * 1000, to: page.selection.to * 1000 } : page.range;
  const live = isLive(span);
  const filters = { q: search || undefined, level: level || undefined, release: release || undefined };
  const key = apiQueryKey('environmentLogs', page.params, { range: rangeKey(span), ...filters });

  const pages = useInfiniteQuery({
    queryKey: key,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api('environmentLogs', {
        params: page.params,
        query: { ...rangeQuery(span, Date.now()), ...filters, cursor: pageParam, limit: PAGE },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // A live tail brings new lines; the pages themselves are re-read only on a filter change,
    // or every few seconds while live and still empty (the tail needs a first line to follow).
    staleTime: Infinity,
    refetchInterval: (query) => (live && !query.state.data?.pages[0]?.lines.length ? TAIL_EVERY_MS : false),
  });

  // Lines the tail brought since the first page, newest first; reset when the filters change.
  const [tail, setTail] = useState<LogLineDto[]>([]);
  const keyText = JSON.stringify(key);
  useEffect(() => setTail([]), [keyText]);
  const newest = tail[0]?.cursor ?? pages.data?.pages[0]?.lines[0]?.cursor;
  const tailQuery = useQuery<LogLineDto[], ApiError>({
    queryKey: [...key, { after: newest }],
    queryFn: async ({ signal }) =>
      (
        await api('environmentLogs', {
          params: page.params,
          query: { ...rangeQuery(span, Date.now()), ...filters, after: newest, limit: PAGE },
          signal,
        })
      ).lines,
    enabled: live && newest !== undefined && !pages.error,
    refetchInterval: TAIL_EVERY_MS,
  });
  useEffect(() => {
    const fresh = tailQuery.data;
    if (!fresh?.length) return;
    setTail((t) => {
      const known = new Set(t.map((l) => l.cursor));
      const add = fresh.filter((l) => !known.has(l.cursor)).reverse(); // the tail answers oldest first
      return add.length ? [...add, ...t].slice(0, TAIL_MAX) : t;
    });
  }, [tailQuery.data]);

  const lines = useMemo(() => {
    const seen = new Set<string>();
    return [...tail, ...(pages.data?.pages.flatMap((p) => p.lines) ?? [])].filter((l) => !seen.has(l.cursor) && seen.add(l.cursor));
  }, [tail, pages.data]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSearch(typed.trim());
  }

  const query = {
    isPending: pages.isPending,
    error: pages.error as ApiError | null,
    data: pages.data,
    refetch: pages.refetch,
    isFetching: pages.isFetching,
  };
  return (
    <Panel
      title="Logs"
      description={
        live ? 'Following new lines live.' : page.selection ? 'Lines from the range selected on a chart.' : 'Lines from the selected range.'
      }
      query={query}
      minHeight={420}
      actions={
        <form onSubmit={submit} role="search" aria-label="Search logs" className="flex flex-wrap items-center gap-2">
          <input
            type="search"
            aria-label="Search text"
            placeholder="Search text"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            className="w-48 rounded border border-zinc-300 px-2 py-0.5 text-sm"
          />
          <button type="submit" className="rounded-md border border-zinc-300 bg-white px-2 py-0.5 text-xs font-medium hover:bg-zinc-50">
            Search
          </button>
          <select
            aria-label="Level"
            value={level}
            onChange={(e) => setLevel(e.target.value)}
            className="rounded border border-zinc-300 bg-white px-1.5 py-0.5 text-xs"
          >
            <option value="">All levels</option>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
          <select
            aria-label="Release"
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
        </form>
      }
    >
      {() => (
        <div>
          {lines.length === 0 ? (
            <p className="py-6 text-center text-sm text-zinc-500">
              {search || level || release ? 'No line matches these filters in the range.' : 'No log lines in the range.'}
            </p>
          ) : (
            <ol
              role="log"
              aria-label="Log lines"
              className="h-96 overflow-auto rounded border border-zinc-100 bg-zinc-50 font-mono text-xs"
            >
              {lines.map((l) => (
                <li key={l.cursor} className="flex gap-2 border-b border-zinc-100 px-2 py-0.5 whitespace-pre-wrap">
                  <time dateTime={l.at} className="shrink-0 text-zinc-400">
                    {formatClock(l.at)}
                  </time>
                  <span className={`w-10 shrink-0 ${LEVEL_TONES[l.level]}`}>{l.level}</span>
                  <span className="shrink-0 text-zinc-500">{releaseLabel(l.releaseNumber)}</span>
                  <span className="shrink-0 text-zinc-400" title={l.replica}>
                    {l.stream === 'stderr' ? 'err' : 'out'}
                  </span>
                  <span className="min-w-0 break-all text-zinc-900">{l.message}</span>
                </li>
              ))}
            </ol>
          )}
          {pages.hasNextPage ? (
            <button
              type="button"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
              className="mt-2 rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-zinc-50 disabled:text-zinc-400"
            >
              {pages.isFetchingNextPage ? 'Loading older lines…' : 'Load older'}
            </button>
          ) : null}
        </div>
      )}
    </Panel>
  );
}
