'use client';

import type { MarkerDto } from '@slipway/contracts';
import { formatDateTime } from '../../lib/format';
import { MARKER_STYLES, markerDescription, markerId, markerLabel } from '../../lib/observability/markers';

/**
 * The markers of the range as a list of buttons: the keyboard's way to the marker cards (the
 * lines on the canvas are for the mouse). Newest first.
 */
export function MarkerTimeline({ markers, onOpen }: { markers: MarkerDto[]; onOpen: (m: MarkerDto) => void }) {
  if (markers.length === 0) return <p className="text-xs text-zinc-500">No deploys, rollbacks or replica events in this range.</p>;
  const newest = [...markers].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <ul aria-label="Markers" className="flex flex-wrap gap-1.5">
      {newest.map((m) => {
        const style = MARKER_STYLES[m.kind];
        return (
          <li key={markerId(m)}>
            <button
              type="button"
              onClick={() => onOpen(m)}
              aria-label={`${markerDescription(m)} at ${formatDateTime(m.at)}`}
              className="inline-flex items-center gap-1.5 rounded border border-zinc-200 bg-white px-2 py-0.5 text-xs text-zinc-700 hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
            >
              <span aria-hidden className="inline-block h-3 w-0.5" style={{ background: style.color, opacity: style.labelled ? 1 : 0.6 }} />
              <span className="font-medium">{markerLabel(m)}</span>
              <span className="text-zinc-500">{style.title.toLowerCase()}</span>
              <span className="text-zinc-400">{formatDateTime(m.at)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
