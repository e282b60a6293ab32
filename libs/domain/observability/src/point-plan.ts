import type { TrafficResolution } from '@slipway/contracts';

/**
 * Which table a traffic series is read from, and how wide its slots are, so that it has at most
 * `points` points and is as fine as that allows:
 *
 * - the coarsest source whose resolution is at most the ideal slot (range / points): raw
 *   samples (the edge flushes every ~10 s) below a minute, minute rollups below an hour, hour
 *   rollups above;
 * - slots are a whole number of the source's resolution, aligned to multiples of it in Unix
 *   time (so a slot never splits a rollup row), widened until the slots covering the range fit;
 * - raw samples are only kept OBSERVABILITY_RAW_RETENTION_DAYS: a range starting before that
 *   reads minute rollups even when it is short.
 */
export interface PointPlan {
  resolution: TrafficResolution;
  stepSeconds: number;
  /** Unix seconds: the first slot's start (at or before `from`, aligned to the step). */
  start: number;
  /** Unix seconds: rows before this are in the last slot; exclusive end of the range. */
  end: number;
  /** Number of slots: ⌈(end − start) / step⌉, at most `points`. */
  slots: number;
}

/** Seconds per row of each source. Raw samples are ~10 s edge flushes. */
export const RESOLUTION_SECONDS: Record<TrafficResolution, number> = { raw: 10, minute: 60, hour: 3600 };

export function planPoints(input: { from: Date; to: Date; points: number; now: Date; rawRetentionDays: number }): PointPlan {
  const from = Math.floor(input.from.getTime() / 1000);
  const end = Math.ceil(input.to.getTime() / 1000);
  if (!(end > from)) throw new RangeError('the range is empty');
  if (!(input.points >= 1)) throw new RangeError('points must be at least 1');
  const ideal = (end - from) / input.points;
  const rawSince = input.now.getTime() / 1000 - input.rawRetentionDays * 86_400;
  let resolution: TrafficResolution = ideal >= RESOLUTION_SECONDS.hour ? 'hour' : ideal >= RESOLUTION_SECONDS.minute ? 'minute' : 'raw';
  if (resolution === 'raw' && from < rawSince) resolution = 'minute';
  const unit = RESOLUTION_SECONDS[resolution];
  let stepSeconds = Math.max(1, Math.ceil(ideal / unit)) * unit;
  for (;;) {
    const start = Math.floor(from / stepSeconds) * stepSeconds;
    const slots = Math.ceil((end - start) / stepSeconds);
    if (slots <= input.points) return { resolution, stepSeconds, start, end, slots };
    stepSeconds += unit; // alignment added a slot: widen until it fits
  }
}
