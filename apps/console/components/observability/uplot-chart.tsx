'use client';

import type { MarkerDto } from '@slipway/contracts';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignedData, type ChartSpec } from '../../lib/observability/series';
import { markersPlugin } from './markers-plugin';

/** Every chart of the page joins this group: one cursor moves across all of them. */
export const SYNC_KEY = 'slipway-observability';

export interface ChartProps {
  /** The chart's accessible name, e.g. "Requests per second by release". */
  label: string;
  spec: ChartSpec;
  /** The page's window in Unix seconds: every chart shares one x scale. */
  xRange: [number, number];
  markers: MarkerDto[];
  onMarker: (marker: MarkerDto) => void;
  /** A range dragged on the chart, in Unix seconds. */
  onSelect: (range: { from: number; to: number }) => void;
  height?: number;
}

/**
 * One uPlot chart (canvas) on the page's shared time axis: synchronised cursor, markers drawn
 * by a plugin, drag-to-select reported to the page, width following its container. Data
 * updates reuse the plot (`setData`); it is rebuilt only when the set of series changes.
 */
export function UplotChart({ label, spec, xRange, markers, onMarker, onSelect, height = 180 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The plot's hooks read these refs, so new props need no rebuild.
  const live = useRef({ markers, onMarker, onSelect, xRange, spec });
  live.current = { markers, onMarker, onSelect, xRange, spec };
  const shape = spec.series.map((s) => `${s.label}|${s.color}|${s.dash?.join(',') ?? ''}`).join(';');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      scales: {
        x: { time: true, range: () => live.current.xRange },
        y: { range: (_u, min, max) => [live.current.spec.zeroBased ? 0 : min, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { stroke: '#71717a', grid: { stroke: '#f4f4f5' }, ticks: { stroke: '#e4e4e7' } },
        {
          stroke: '#71717a',
          grid: { stroke: '#f4f4f5' },
          ticks: { stroke: '#e4e4e7' },
          size: 64,
          values: (_u, vals) => vals.map((v) => live.current.spec.format(v)),
        },
      ],
      series: [
        {},
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => live.current.spec.format(v),
        })),
      ],
      cursor: {
        sync: { key: SYNC_KEY, setSeries: false, scales: ['x', null] },
        drag: { x: true, y: false, setScale: false },
      },
      legend: { live: true },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            live.current.onSelect({ from, to });
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
      plugins: [
        markersPlugin(
          () => live.current.markers,
          (m) => live.current.onMarker(m),
        ),
      ],
    };
    const u = new uPlot(opts, alignedData(live.current.spec) as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // `shape` stands for the series: a new release or replica rebuilds the plot.
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(alignedData(spec) as uPlot.AlignedData, true);
  }, [spec, xRange[0], xRange[1]]);

  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [markers]);

  return <div ref={box} role="img" aria-label={label} className="w-full min-w-0" style={{ minHeight: height + 40 }} />;
}
