/**
 * A subscription period is one calendar month from its start, in UTC: Jan 15 10:00 → Feb 15
 * 10:00. A start on a day the next month lacks ends on that month's last day (Jan 31 → Feb 28
 * or 29), at the same time of day.
 */
export function periodEnd(start: Date): Date {
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()));
}
