/**
 * Subscription periods are calendar months from the subscription's start, in UTC: started on
 * Jan 31 at 10:00, periods end on Feb 28 (29), Mar 31, Apr 30 at 10:00 — each month from the
 * anchor, the day clamped to the month's length (never drifting to the 28th for good).
 */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const y = anchor.getUTCFullYear();
  const m = anchor.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(anchor.getUTCDate(), lastDay));
  return target;
}

/** The period after the one ending at `currentEnd`, for a subscription whose first period started at `anchor`. */
export function nextPeriod(anchor: Date, currentEnd: Date): { start: Date; end: Date } {
  let n = (currentEnd.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + currentEnd.getUTCMonth() - anchor.getUTCMonth();
  // `currentEnd` is the n-th month boundary unless a boundary was written by someone else: then take the first boundary after it.
  while (addMonthsClamped(anchor, n).getTime() <= currentEnd.getTime()) n++;
  return { start: currentEnd, end: addMonthsClamped(anchor, n) };
}
