'use client';

import type { MarkerDto, ProjectDto } from '@slipway/contracts';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApiQuery } from '../../lib/api-query';
import { formatClock } from '../../lib/format';
import { releaseLabel } from '../../lib/observability/format';
import { markerId } from '../../lib/observability/markers';
import { isLive, parseRange, pointsFor, pollInterval, resolveRange, withRange, type TimeRange } from '../../lib/observability/range';
import { useRangeQuery } from '../../lib/observability/use-range-query';
import { useOrg } from '../../lib/org';
import { Button } from '../ui/button';
import { PageHeader } from '../ui/layout-bits';
import { NotFoundView } from '../ui/not-found-view';
import { ErrorAlert } from '../ui/alert';
import { Loading } from '../ui/layout-bits';
import { ApiRevenuePanel } from './api-revenue-panel';
import { LogsPanel } from './logs-panel';
import { MarkerCard } from './marker-card';
import { MarkerTimeline } from './marker-timeline';
import { ModelTrafficPanel } from './model-traffic-panel';
import { PageContext, type PageState } from './page-context';
import { RangePicker } from './range-picker';
import { ResourcesPanel } from './resources-panel';
import { TopPathsPanel } from './top-paths-panel';
import { TrafficPanel } from './traffic-panel';

/** The project's observability page: one time axis, markers across every chart, every panel of the environment. */
export function ObservabilityView({ project }: { project: string }) {
  const org = useOrg();
  const q = useApiQuery('getProject', { org: org.slug, project });
  if (q.error?.status === 404) return <NotFoundView what="project" />;
  if (q.error && !q.data) return <ErrorAlert>{q.error.message}</ErrorAlert>;
  if (!q.data) return <Loading />;
  return <ObservabilityPage org={org.slug} project={q.data} />;
}

function ObservabilityPage({ org, project }: { org: string; project: ProjectDto }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const range = useMemo(() => parseRange(search), [search]);
  const names = project.environments.map((e) => e.name);
  const asked = search.get('env');
  const env = asked && names.includes(asked) ? asked : names.includes('production') ? 'production' : (names[0] ?? 'production');
  const params = useMemo(() => ({ org, project: project.slug, env }), [org, project.slug, env]);

  // Each change of range or environment is a new history entry: the back button undoes it.
  const go = useCallback((next: URLSearchParams) => router.push(`${pathname}?${next.toString()}`, { scroll: false }), [router, pathname]);
  const setRange = useCallback((r: TimeRange) => go(withRange(search, r)), [go, search]);
  const setEnv = (name: string) => {
    const next = new URLSearchParams([...search]);
    next.set('env', name);
    go(next);
  };

  const now = useNow(pollInterval(range));
  const span = resolveRange(range, now);
  const xRange: [number, number] = [span.from / 1000, span.to / 1000];
  const [points] = useState(() => (typeof globalThis.innerWidth === 'number' ? pointsFor(globalThis.innerWidth) : 1_200));

  const markersQuery = useRangeQuery('environmentMarkers', params, range);
  const markers = useMemo(() => markersQuery.data?.markers ?? [], [markersQuery.data]);
  const [open, setOpen] = useState<MarkerDto | null>(null);
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  // A selection belongs to the range it was made in.
  useEffect(() => setSelection(null), [range, env]);

  // Releases seen in the range (markers and traffic), for the release filters and model traffic by release.
  const traffic = useRangeQuery('environmentTraffic', params, range, { query: { points } });
  const releases = useMemo(() => {
    const byId = new Map<string, { id: string; label: string; number: number }>();
    for (const r of traffic.data?.releases ?? [])
      byId.set(r.releaseId, { id: r.releaseId, label: releaseLabel(r.number), number: r.number ?? -1 });
    for (const m of markers)
      if (!byId.has(m.releaseId)) byId.set(m.releaseId, { id: m.releaseId, label: releaseLabel(m.releaseNumber), number: m.releaseNumber });
    return [...byId.values()].sort((a, b) => b.number - a.number);
  }, [traffic.data, markers]);
  const releaseName = useCallback((id: string) => releases.find((r) => r.id === id)?.label ?? null, [releases]);

  const state: PageState = {
    org,
    project: project.slug,
    env,
    range,
    xRange,
    markers,
    openMarker: setOpen,
    selection,
    select: setSelection,
    params,
  };

  return (
    <PageContext.Provider value={state}>
      <PageHeader
        crumbs={[
          { href: `/o/${org}/projects`, label: 'Projects' },
          { href: `/o/${org}/projects/${project.slug}`, label: project.name },
        ]}
        title="Observability"
        description={
          <span>
            Traffic, resources, logs and model calls of {project.name}, with every deploy on the same time axis.{' '}
            <Link
              href={`/o/${org}/observability?${withRange(new URLSearchParams(), range).toString()}`}
              className="text-blue-700 hover:underline"
            >
              All projects
            </Link>
          </span>
        }
      />
      <div className="sticky top-0 z-30 -mx-2 mb-4 flex flex-col gap-2 rounded-lg border border-zinc-200 bg-white/95 px-3 py-2.5 backdrop-blur">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex flex-wrap items-center gap-3">
            <div role="group" aria-label="Environment" className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5">
              {names.map((name) => (
                <button
                  key={name}
                  type="button"
                  aria-pressed={name === env}
                  onClick={() => setEnv(name)}
                  className={`rounded px-2.5 py-1 text-sm ${name === env ? 'bg-zinc-900 font-medium text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
                >
                  {name}
                </button>
              ))}
            </div>
            <RangePicker key={JSON.stringify(range)} range={range} onChange={setRange} />
          </div>
          <span className="text-xs text-zinc-500" aria-live="polite">
            {isLive(range) ? (
              <span className="inline-flex items-center gap-1.5">
                <span aria-hidden className="size-2 animate-pulse rounded-full bg-emerald-500" /> Live
              </span>
            ) : (
              'Fixed range: not refreshing'
            )}
          </span>
        </div>
        {markersQuery.error && !markersQuery.data ? (
          <p className="text-xs text-zinc-500">Markers could not be loaded: {markersQuery.error.message}</p>
        ) : (
          <MarkerTimeline markers={markers} onOpen={setOpen} />
        )}
        {selection ? (
          <div role="status" className="flex flex-wrap items-center gap-2 text-xs text-zinc-700">
            <span>
              Logs filtered to {formatClock(new Date(selection.from * 1000).toISOString())} –{' '}
              {formatClock(new Date(selection.to * 1000).toISOString())}
            </span>
            <Button
              size="sm"
              onClick={() => setRange({ kind: 'custom', from: Math.floor(selection.from * 1000), to: Math.ceil(selection.to * 1000) })}
            >
              Zoom to this range
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setSelection(null)}>
              Clear selection
            </Button>
          </div>
        ) : null}
      </div>

      <TrafficPanel points={points} />
      <TopPathsPanel releases={releases} />
      <LogsPanel releases={releases} />
      <ResourcesPanel points={points} />
      <ModelTrafficPanel points={points} releaseName={releaseName} />
      <ApiRevenuePanel points={points} />

      {open ? <MarkerCard key={markerId(open)} marker={open} onClose={() => setOpen(null)} /> : null}
    </PageContext.Provider>
  );
}

/** The current time, refreshed as often as a live range polls (never for a fixed range): it moves the charts' x axis. */
function useNow(every: number | false): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!every) return;
    const id = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(id);
  }, [every]);
  return now;
}
