import type { ApiError } from './api';

/** Lists poll this often while something in them is in progress (a build, a deployment)… */
export const FAST_POLL_MS = 2_000;
/** …and this often otherwise, so a `git push` still shows up by itself. */
export const SLOW_POLL_MS = 10_000;

/** The part of a TanStack query a `refetchInterval` function reads. */
export interface PolledQuery<T> {
  state: { data: T | undefined; error: ApiError | null };
}

/**
 * A `refetchInterval` for `useApiQuery`: `fast` while `busy(data)` holds, `slow` otherwise
 * (`false` = no polling). A 403 or 404 stops polling: neither changes by itself, and asking
 * again every few seconds would only repeat the same error. TanStack pauses the interval while
 * the tab is hidden.
 */
export function pollWhile<T>(
  busy: (data: T) => boolean,
  { fast = FAST_POLL_MS, slow = SLOW_POLL_MS }: { fast?: number | false; slow?: number | false } = {},
): (query: PolledQuery<T>) => number | false {
  return ({ state: { data, error } }) => {
    if (error && (error.status === 403 || error.status === 404)) return false;
    return data !== undefined && busy(data) ? fast : slow;
  };
}

/** A `refetchInterval` that polls every `ms` whatever the data (until a 403 or 404). */
export const pollEvery = <T>(ms: number): ((query: PolledQuery<T>) => number | false) => pollWhile<T>(() => false, { slow: ms });
