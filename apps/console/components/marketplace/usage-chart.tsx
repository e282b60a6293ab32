'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface DailySeries {
  label: string;
  color: string;
  values: number[];
}

/**
 * Calls per UTC day as bars (uPlot, like the observability page's charts): created once, fed
 * with `setData`, resized with its container, destroyed on unmount. `days` are each day's UTC
 * midnight in Unix seconds.
 */
export function DailyBarsChart({
  label,
  days,
  series,
  height = 160,
}: {
  label: string;
  days: number[];
  series: DailySeries[];
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => `${s.label}|${s.color}`).join(';');
  const data = [days, ...series.map((s) => s.values)] as uPlot.AlignedData;
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = uPlot.paths.bars!({ size: [0.6, 40], align: 0 });
    const u = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        // Half a day either side, so one day's bar is a bar and not an axis spread over years.
        scales: {
          x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
        },
        axes: [
          { stroke: '#71717a', grid: { show: false }, ticks: { stroke: '#e4e4e7' } },
          {
            stroke: '#71717a',
            grid: { stroke: '#f4f4f5' },
            ticks: { stroke: '#e4e4e7' },
            size: 48,
            values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? v.toLocaleString('en-US') : '')),
          },
        ],
        series: [
          { value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
          ...series.map((s) => ({ label: s.label, stroke: s.color, fill: `${s.color}99`, width: 1, paths: bars, points: { show: false } })),
        ],
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
      },
      latest.current,
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(latest.current);
  });

  return <div ref={box} role="img" aria-label={label} className="w-full min-w-0" style={{ minHeight: height + 40 }} />;
}
