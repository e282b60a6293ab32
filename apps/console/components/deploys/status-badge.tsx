import type { BuildStatus } from '@slipway/contracts';
import { Badge } from '../ui/layout-bits';

const TONES = { QUEUED: 'zinc', RUNNING: 'blue', SUCCEEDED: 'green', FAILED: 'red', CANCELLED: 'amber' } as const;
const LABELS = { QUEUED: 'Queued', RUNNING: 'Running', SUCCEEDED: 'Succeeded', FAILED: 'Failed', CANCELLED: 'Cancelled' } as const;

/** Builds and deployments share one lifecycle: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED. */
export function StatusBadge({ status }: { status: BuildStatus }) {
  return (
    <Badge tone={TONES[status]}>
      {status === 'RUNNING' ? <span className="mr-1 size-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
      {LABELS[status]}
    </Badge>
  );
}

export const inProgress = (status: BuildStatus): boolean => status === 'QUEUED' || status === 'RUNNING';
