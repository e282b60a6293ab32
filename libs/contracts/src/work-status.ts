/**
 * Builds and deployments share one life cycle: QUEUED → RUNNING → SUCCEEDED | FAILED |
 * CANCELLED. These are the one definition of which statuses are final (nothing changes after
 * them) and which still have work ahead; the push, the reconciler, the api and the tests read
 * them from here.
 */
export const WORK_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

export const FINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const satisfies readonly WorkStatus[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** Statuses with work still ahead: a worker has it, or will. */
export const ACTIVE_STATUSES = ['QUEUED', 'RUNNING'] as const satisfies readonly WorkStatus[];

export const isFinalStatus = (status: string): status is FinalStatus => (FINAL_STATUSES as readonly string[]).includes(status);
