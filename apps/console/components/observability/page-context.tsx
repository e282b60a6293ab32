'use client';

import type { MarkerDto } from '@slipway/contracts';
import { createContext, useContext } from 'react';
import type { ChartSpec } from '../../lib/observability/series';
import type { TimeRange } from '../../lib/observability/range';
import { UplotChart } from './uplot-chart';

/** What every panel of one observability page shares: where it is, the time axis, the markers and the chart selection. */
export interface PageState {
  org: string;
  project: string;
  env: string;
  range: TimeRange;
  /** The page's window in Unix seconds (moves while live). */
  xRange: [number, number];
  markers: MarkerDto[];
  openMarker: (m: MarkerDto) => void;
  /** A range dragged on a chart, Unix seconds; it filters the logs. */
  selection: { from: number; to: number } | null;
  select: (s: { from: number; to: number } | null) => void;
  /** Path params of the environment's routes. */
  params: { org: string; project: string; env: string };
}

export const PageContext = createContext<PageState | null>(null);

export function usePage(): PageState {
  const p = useContext(PageContext);
  if (!p) throw new Error('usePage must be used inside the observability page.');
  return p;
}

/** A chart on the page's axis, with its markers and selection wired in. */
export function Chart({ label, spec, height }: { label: string; spec: ChartSpec; height?: number }) {
  const page = usePage();
  return (
    <UplotChart
      label={label}
      spec={spec}
      xRange={page.xRange}
      markers={page.markers}
      onMarker={page.openMarker}
      onSelect={page.select}
      height={height}
    />
  );
}
