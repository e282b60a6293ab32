import { describe, expect, it } from 'vitest';
import { marker } from './fixtures';
import { markerAt, markerDescription, markerLabel, placeMarkers } from './markers';

const at = (s: number) => new Date(s * 1000).toISOString();

describe('deploy markers on a chart', () => {
  it('places markers inside the x scale at their pixel, drops those outside', () => {
    const markers = [marker('deploy', at(1_000)), marker('rollback', at(1_050)), marker('deploy', at(999)), marker('restart', at(1_101))];
    const placed = placeMarkers(markers, 1_000, 1_100, 500);
    expect(placed.map((p) => [p.marker.kind, p.x])).toEqual([
      ['deploy', 0],
      ['rollback', 250],
    ]);
    expect(placeMarkers(markers, 1_100, 1_000, 500)).toEqual([]);
    expect(placeMarkers(markers, 1_000, 1_100, 0)).toEqual([]);
  });

  it('finds the marker under the pointer within a few pixels, a deploy before a replica event', () => {
    const placed = placeMarkers([marker('restart', at(1_050)), marker('deploy', at(1_051))], 1_000, 1_100, 100);
    expect(markerAt(placed, 50.6)?.kind).toBe('deploy');
    expect(markerAt(placed, 49)?.kind).toBe('restart');
    expect(markerAt(placed, 70)).toBeNull();
  });

  it('labels deploys with the release, rollbacks and failures with a sign', () => {
    expect(markerLabel(marker('deploy', at(1), 12))).toBe('v12');
    expect(markerLabel(marker('auto-rollback', at(1), 11))).toBe('v11 ↩');
    expect(markerLabel(marker('failed-deploy', at(1), 13))).toBe('v13 ✕');
    expect(markerDescription(marker('oom-kill', at(1), 12))).toBe('OOM kill of v12 (replica #0)');
  });
});
