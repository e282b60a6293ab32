import type { MarkerDto, MarkerKind, VerdictStatus } from '@slipway/contracts';
import { releaseLabel } from './format';

/**
 * Where deploy markers go on a chart and how they look. Pure: the uPlot plugin hands in the
 * scale and the plot's width and draws what comes back.
 */

export interface MarkerStyle {
  color: string;
  /** Deploys and rollbacks are strong lines; replica events (restart, OOM kill) lighter. */
  width: number;
  dash: number[];
  /** Replica events carry no label (they would crowd the deploy labels). */
  labelled: boolean;
  title: string;
}

export const MARKER_STYLES: Record<MarkerKind, MarkerStyle> = {
  deploy: { color: '#2563eb', width: 2, dash: [], labelled: true, title: 'Deploy' },
  rollback: { color: '#9333ea', width: 2, dash: [], labelled: true, title: 'Rollback' },
  'auto-rollback': { color: '#c026d3', width: 2, dash: [], labelled: true, title: 'Automatic rollback' },
  'failed-deploy': { color: '#dc2626', width: 2, dash: [3, 3], labelled: true, title: 'Failed deploy' },
  restart: { color: '#f59e0b', width: 1, dash: [2, 3], labelled: false, title: 'Replica restart' },
  'oom-kill': { color: '#b91c1c', width: 1, dash: [2, 3], labelled: false, title: 'OOM kill' },
};

/** "v12", "v12 ↩", "v12 ✕": the label drawn at the top of the line. */
export function markerLabel(m: Pick<MarkerDto, 'kind' | 'releaseNumber'>): string {
  const v = releaseLabel(m.releaseNumber);
  if (m.kind === 'rollback' || m.kind === 'auto-rollback') return `${v} ↩`;
  if (m.kind === 'failed-deploy') return `${v} ✕`;
  return v;
}

/** One sentence for the timeline and the marker's accessible name. */
export function markerDescription(m: MarkerDto): string {
  const style = MARKER_STYLES[m.kind];
  const replica = m.replicaIndex !== null ? ` (replica #${m.replicaIndex})` : '';
  return `${style.title} of ${releaseLabel(m.releaseNumber)}${replica}`;
}

export interface PlacedMarker {
  marker: MarkerDto;
  /** CSS pixels from the plot area's left edge. */
  x: number;
}

/**
 * Markers inside the x scale, at their pixel position. `min`/`max` are the scale in Unix
 * seconds, `width` the plot area's width in CSS pixels. Markers outside are dropped (a deploy
 * just before the range must not draw on the left edge).
 */
export function placeMarkers(markers: MarkerDto[], min: number, max: number, width: number): PlacedMarker[] {
  if (!(max > min) || width <= 0) return [];
  const out: PlacedMarker[] = [];
  for (const marker of markers) {
    const t = Date.parse(marker.at) / 1000;
    if (Number.isNaN(t) || t < min || t > max) continue;
    out.push({ marker, x: ((t - min) / (max - min)) * width });
  }
  return out.sort((a, b) => a.x - b.x);
}

/** The marker nearest to `x` within `tolerance` pixels, deploys before replica events when both are as close. */
export function markerAt(placed: PlacedMarker[], x: number, tolerance = 6): MarkerDto | null {
  let best: PlacedMarker | null = null;
  let bestScore = Infinity;
  for (const p of placed) {
    const d = Math.abs(p.x - x);
    if (d > tolerance) continue;
    const score = d + (MARKER_STYLES[p.marker.kind].labelled ? 0 : 0.5);
    if (score < bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best?.marker ?? null;
}

/** Stable identity of a marker (for React keys and the open card). */
export const markerId = (m: MarkerDto): string => `${m.kind}:${m.releaseId}:${m.at}:${m.replicaIndex ?? ''}`;

export const VERDICT_TONES: Record<VerdictStatus, 'green' | 'red' | 'amber' | 'zinc'> = {
  healthy: 'green',
  faulty: 'red',
  pending: 'amber',
  'insufficient-data': 'zinc',
};

export const VERDICT_LABELS: Record<VerdictStatus, string> = {
  healthy: 'Healthy',
  faulty: 'Faulty',
  pending: 'Pending',
  'insufficient-data': 'Not enough data',
};
