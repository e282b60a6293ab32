import type { PlannedCounter } from './limit-plan';
import type { Reservation } from './limit-types';

/** Nothing was reserved: settling it is a no-op. */
export const EMPTY_RESERVATION: Reservation = Object.freeze({ empty: true });

/** The counters a request moved, and by how much, so settling can apply actual − reserved. */
export class CounterReservation implements Reservation {
  readonly empty = false;
  /** Settling twice would count the difference twice; the first settle wins. */
  settled = false;

  constructor(readonly counters: readonly PlannedCounter[]) {}
}
