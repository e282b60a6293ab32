import type { MarkerDto } from '@slipway/contracts';
import type uPlot from 'uplot';
import { MARKER_STYLES, markerAt, markerDescription, markerLabel, placeMarkers } from '../../lib/observability/markers';

/**
 * A uPlot plugin drawing one vertical line per marker (deploys, rollbacks, failed deploys;
 * restarts and OOM kills lighter) with its release label, and reporting a click on a line.
 * Markers are read through `get` at draw time, so new markers only need a redraw.
 */
/** How long the pointer rests on a marker line before its card opens. */
const HOVER_OPEN_MS = 400;

export function markersPlugin(get: () => MarkerDto[], onPick: (marker: MarkerDto) => void): uPlot.Plugin {
  const placed = (u: uPlot) => placeMarkers(get(), u.scales.x?.min ?? 0, u.scales.x?.max ?? 0, u.over.clientWidth);
  const near = (u: uPlot, e: MouseEvent) => markerAt(placed(u), e.clientX - u.over.getBoundingClientRect().left);

  return {
    hooks: {
      init: (u) => {
        // Resting on a line opens its card too; passing over one on the way elsewhere does not.
        let dwell: { marker: MarkerDto; timer: ReturnType<typeof setTimeout> } | null = null;
        const stopDwell = () => {
          if (dwell) clearTimeout(dwell.timer);
          dwell = null;
        };
        u.over.addEventListener('mousemove', (e) => {
          const m = near(u, e);
          u.over.style.cursor = m ? 'pointer' : '';
          u.over.title = m ? markerDescription(m) : '';
          if (m && dwell?.marker === m) return;
          stopDwell();
          if (m && !(e.buttons & 1)) dwell = { marker: m, timer: setTimeout(() => onPick(m), HOVER_OPEN_MS) };
        });
        u.over.addEventListener('mouseleave', stopDwell);
        u.over.addEventListener('mousedown', stopDwell);
        u.over.addEventListener('click', (e) => {
          // A drag that selected a range also ends in a click: that one filters the logs instead.
          if (u.select.width > 2) return;
          const m = near(u, e);
          if (m) onPick(m);
        });
      },
      draw: (u) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        const ratio = devicePixelRatio || 1;
        ctx.save();
        ctx.font = `${11 * ratio}px ui-sans-serif, system-ui, sans-serif`;
        ctx.textBaseline = 'top';
        for (const { marker } of placed(u)) {
          const style = MARKER_STYLES[marker.kind];
          const x = Math.round(u.valToPos(Date.parse(marker.at) / 1000, 'x', true));
          ctx.strokeStyle = style.color;
          ctx.lineWidth = style.width * ratio;
          ctx.setLineDash(style.dash.map((d) => d * ratio));
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          if (style.labelled) {
            ctx.fillStyle = style.color;
            ctx.fillText(markerLabel(marker), x + 3 * ratio, top + 2 * ratio);
          }
        }
        ctx.restore();
      },
    },
  };
}
