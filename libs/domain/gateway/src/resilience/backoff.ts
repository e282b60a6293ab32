import { RETRYABLE_CATEGORIES } from '@slipway/contracts';

export interface BackoffInput {
  /** 0-based: the delay before the first retry is attempt 0. */
  attempt: number;
  baseMs?: number;
  capMs?: number;
  /** The provider's `retry-after` header: seconds or an HTTP date. */
  retryAfter?: string | null;
  /** OpenAI's `retry-after-ms` header; preferred over `retry-after` when both are sent. */
  retryAfterMs?: string | null;
  maxDelayMs?: number;
  random?: () => number;
  /** Wall-clock ms, to turn an HTTP-date `retry-after` into a delay. */
  now?: number;
}

/**
 * Full-jitter exponential backoff: random in [0, min(cap, base·2^attempt)). When the provider
 * says how long to wait, wait at least that plus up to 10 % jitter (so the callers it throttled
 * together do not come back together), but never longer than `maxDelayMs`: a provider asking for
 * more returns null, meaning do not retry this route (fall back instead).
 */
export function backoffDelay(input: BackoffInput): number | null {
  const { attempt, baseMs = 250, capMs = 4_000, maxDelayMs = 8_000, random = Math.random } = input;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  const jittered = Math.floor(random() * ceiling);
  const asked = askedDelayMs(input.retryAfterMs, input.retryAfter, input.now ?? Date.now());
  if (asked === null) return Math.min(maxDelayMs, jittered);
  if (asked > maxDelayMs) return null;
  return Math.min(maxDelayMs, Math.ceil(Math.max(jittered, asked) + asked * 0.1 * random()));
}

/** The wait the provider asked for, in ms, or null when it sent none we can read. */
function askedDelayMs(retryAfterMs: string | null | undefined, retryAfter: string | null | undefined, now: number): number | null {
  const ms = parseNumber(retryAfterMs);
  if (ms !== null) return ms;
  const seconds = parseNumber(retryAfter);
  if (seconds !== null) return seconds * 1000;
  if (!retryAfter) return null;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function parseNumber(value: string | null | undefined): number | null {
  if (!value || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return null;
  return Number(value);
}

/** `x-should-retry: true` forces a retry and `false` forbids one; otherwise the failure category decides. */
export function shouldRetry(category: string, xShouldRetry: string | null | undefined): boolean {
  const told = xShouldRetry?.trim().toLowerCase();
  if (told === 'true') return true;
  if (told === 'false') return false;
  return (RETRYABLE_CATEGORIES as readonly string[]).includes(category);
}
