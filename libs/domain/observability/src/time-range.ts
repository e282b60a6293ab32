import { TRAFFIC_MAX_RANGE_DAYS, type RangeQuery } from '@slipway/contracts';
import { AppError } from '@slipway/errors';

/** How far past now a range may end (clocks of browser and server differ a little). */
const FUTURE_SLACK_MS = 5 * 60_000;

/** `from`/`to` of a range query as dates (`to` defaults to now), with the same checks and messages as the traffic query. */
export function resolveRange(query: Pick<RangeQuery, 'from' | 'to'>, now: Date): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = query.to ? new Date(query.to) : now;
  if (!(from < to)) throw new AppError('INVALID_TIME_RANGE', '`from` must be before `to` (or before now when `to` is left out).');
  if (to.getTime() > now.getTime() + FUTURE_SLACK_MS) throw new AppError('INVALID_TIME_RANGE', '`to` is in the future: leave it out to end the range now.');
  if (to.getTime() - from.getTime() > TRAFFIC_MAX_RANGE_DAYS * 86_400_000)
    throw new AppError('INVALID_TIME_RANGE', `Ask for at most ${TRAFFIC_MAX_RANGE_DAYS} days at once.`);
  return { from, to };
}
