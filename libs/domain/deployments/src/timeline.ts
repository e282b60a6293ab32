import type { TenantScope } from '@slipway/contracts';
import type { DeploymentClaim, DeploymentsRepository, TimelineEntry } from './deployments.repository';

export interface DeploymentTimelineEvent {
  at: Date;
  step: string;
  message: string;
  level: 'info' | 'warn' | 'error';
}

/** Live deployment steps (the push output and the console follow them). */
export type DeploymentEventListener = (deploymentId: string, event: DeploymentTimelineEvent) => void;

/**
 * Writes one timestamped row per step of a run and hands it to the live listener. The row is
 * written first: a run that no longer owns its deployment (SupersededAttemptError) shows
 * nothing, to the timeline or to the listener.
 */
export class Timeline {
  constructor(
    private readonly scope: TenantScope,
    private readonly claim: DeploymentClaim,
    private readonly repository: Pick<DeploymentsRepository, 'appendEvent'>,
    private readonly listener?: DeploymentEventListener,
  ) {}

  async add(step: string, message: string, level: TimelineEntry['level'] = 'info'): Promise<void> {
    const event: DeploymentTimelineEvent = { at: new Date(), step, message, level: level ?? 'info' };
    await this.repository.appendEvent(this.scope, this.claim, event);
    this.told(event);
  }

  /** Hands an event already written (the switch's, stored in its transaction) to the listener. */
  told(event: DeploymentTimelineEvent): void {
    try {
      this.listener?.(this.claim.deploymentId, event);
    } catch {
      // A broken live listener (a closed push) must not stop the deployment.
    }
  }
}

/** `1.2 s` */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
