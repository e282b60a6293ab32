import type { TenantScope } from '@slipway/contracts';
import type { DeploymentsRepository, TimelineEntry } from './deployments.repository';

export interface DeploymentTimelineEvent {
  at: Date;
  step: string;
  message: string;
  level: 'info' | 'warn' | 'error';
}

/** Live deployment steps (the push output and the console follow them). */
export type DeploymentEventListener = (deploymentId: string, event: DeploymentTimelineEvent) => void;

/** Writes one timestamped row per step and hands it to the live listener at once. */
export class Timeline {
  constructor(
    private readonly scope: TenantScope,
    private readonly deploymentId: string,
    private readonly repository: Pick<DeploymentsRepository, 'appendEvent'>,
    private readonly listener?: DeploymentEventListener,
  ) {}

  async add(step: string, message: string, level: TimelineEntry['level'] = 'info'): Promise<void> {
    const event: DeploymentTimelineEvent = { at: new Date(), step, message, level: level ?? 'info' };
    try {
      this.listener?.(this.deploymentId, event);
    } catch {
      // A broken live listener (a closed push) must not stop the deployment.
    }
    await this.repository.appendEvent(this.scope, this.deploymentId, event);
  }
}

/** `1.2 s` */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
