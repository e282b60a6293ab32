/**
 * Adds `amount` spread evenly over [windowStart, windowEnd) to the slots of a series (slot i
 * covers [start + i·step, start + (i+1)·step), seconds): each slot gets the amount × the share
 * of the window it overlaps. Slots covering the whole window add up to the amount (up to float
 * rounding); parts of the window outside the series are not drawn.
 */
export function spreadOverSlots(series: number[], amount: number, window: { start: number; end: number }, axis: { start: number; stepSeconds: number }): void {
  const length = window.end - window.start;
  if (!(length > 0) || amount === 0) return;
  const first = Math.max(0, Math.floor((window.start - axis.start) / axis.stepSeconds));
  const last = Math.min(series.length - 1, Math.floor((window.end - 1e-9 - axis.start) / axis.stepSeconds));
  for (let i = first; i <= last; i++) {
    const slotStart = axis.start + i * axis.stepSeconds;
    const overlap = Math.min(window.end, slotStart + axis.stepSeconds) - Math.max(window.start, slotStart);
    if (overlap > 0) series[i]! += (amount * overlap) / length;
  }
}
