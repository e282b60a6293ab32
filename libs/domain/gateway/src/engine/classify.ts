import type { FailureCategory } from '@slipway/contracts';

/** An upstream HTTP status as a failure category (what `fallbackOn` and the metrics name). */
export function categoryOfStatus(status: number): FailureCategory {
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server_error';
  return 'client';
}

/** Failures that say something about the provider's health; a bad request or key does not. */
export function countsAgainstBreaker(category: FailureCategory): boolean {
  return category !== 'client' && category !== 'auth';
}

/** The status a client gets when the gateway itself gives up with this category. */
export function statusOfCategory(category: FailureCategory): number {
  switch (category) {
    case 'rate_limit':
      return 429;
    case 'overloaded':
      return 529;
    case 'timeout':
      return 504;
    case 'auth':
      return 502;
    case 'client':
      return 400;
    default:
      return 502;
  }
}
