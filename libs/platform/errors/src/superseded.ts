/**
 * The attempt that made this write no longer owns its row: another copy of the job claimed the
 * build or deployment since (a worker's queue lock lapsed during a Redis blip or an event-loop
 * stall, and the queue started the job again), or the reconciler took the row over. The stale
 * attempt stops at once, writing nothing; the row belongs to the newer attempt.
 */
export class SupersededAttemptError extends Error {
  constructor(
    readonly what: string,
    readonly attempt: number,
  ) {
    super(`${what}: attempt ${attempt} no longer owns it (a newer attempt claimed it)`);
    this.name = 'SupersededAttemptError';
  }
}
