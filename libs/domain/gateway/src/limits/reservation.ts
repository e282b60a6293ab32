import type { PlannedCounter } from './limit-plan';
import type { LimitDecision, Reservation } from './limit-types';

/** Nothing was reserved: settling it is a no-op. */
export const EMPTY_RESERVATION: Reservation = Object.freeze({ empty: true });

/** The decision when no budget or rate limit applies at all. */
export const UNLIMITED: LimitDecision = Object.freeze({ ok: true, reservation: EMPTY_RESERVATION });

/** The counters a request moved, and by how much, so settling can apply actual − reserved. */
export class CounterReservation implements Reservation {
  readonly empty = false;
  /** Settling twice would count the difference twice; the first settle wins. */
  settled = false;

  /**
   * @param reservedAt Redis time of the reservation (µs, a decimal string): a counter rebuilt
   *   after it never held this reservation.
   */
  constructor(
    readonly counters: readonly PlannedCounter[],
    readonly reservedAt: string,
  ) {}
}
