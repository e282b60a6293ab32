/** Time source in milliseconds; injected so the resilience primitives can be tested without waiting. */
export interface Clock {
  now(): number;
}

/** Wall-clock milliseconds: breaker transitions carry it as `at`, so reports can show when they happened. */
export const systemClock: Clock = { now: () => Date.now() };
