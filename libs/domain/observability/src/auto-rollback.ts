import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import { DeploymentsService } from '@slipway/deployments';
import { AppError } from '@slipway/errors';
import { JobQueue } from '@slipway/queue';
import type { EvaluatedRelease } from './release-verdicts.service';
import { ReleaseVerdictsRepository } from './release-verdicts.repository';

/** What the pass did with one faulty release. */
export type AutoRollbackOutcome =
  | { releaseId: string; result: 'rolled-back'; deploymentId: string }
  | { releaseId: string; result: 'refused'; reason: string };

/**
 * Automatic rollback (docs/observability.md): when a release's verdict is faulty, it is still
 * the live release and its environment opted in (`autoRollback`), the environment goes back to
 * the release it replaced through the ordinary rollback use case (same health gate), recorded
 * as a ROLLBACK with `automatic` and the verdict as its reason, and an audit entry.
 *
 * Once per release: the verdict row is claimed with a conditional update before anything is
 * queued, so concurrent passes or workers cannot both roll back, and a release that was rolled
 * back is never rolled back (nor redeployed) again by the platform.
 */
@Injectable()
export class AutoRollback {
  private readonly logger = new Logger('auto-rollback');

  constructor(
    @Inject(ReleaseVerdictsRepository) private readonly verdicts: ReleaseVerdictsRepository,
    @Inject(DeploymentsService) private readonly deployments: DeploymentsService,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async apply(evaluated: readonly EvaluatedRelease[], now = new Date()): Promise<AutoRollbackOutcome[]> {
    const outcomes: AutoRollbackOutcome[] = [];
    for (const { deploy, verdict } of evaluated) {
      if (verdict.status !== 'faulty' || verdict.autoRolledBackAt) continue;
      if (!deploy.environmentAutoRollback || !deploy.previousReleaseId) continue;
      if (deploy.environmentLiveReleaseId !== deploy.releaseId) continue; // already replaced: nothing to undo
      const scope = { organizationId: deploy.organizationId };
      if (!(await this.verdicts.claimAutoRollback(scope, deploy.releaseId, now))) continue;
      const reason = `Automatic rollback: ${verdict.summary}`;
      let deploymentId: string;
      try {
        const deployment = await this.deployments.rollback(scope, deploy.environmentId, deploy.previousReleaseId, null, { reason, automatic: true });
        deploymentId = deployment.id;
      } catch (error) {
        if (error instanceof AppError) {
          // The previous release cannot be rolled back to (deleted, never built…): a decision, kept, not retried.
          this.logger.warn(`${deploy.environmentPath}: v${deploy.releaseNumber} is faulty but cannot be rolled back: ${error.message}`);
          outcomes.push({ releaseId: deploy.releaseId, result: 'refused', reason: error.message });
          continue;
        }
        await this.verdicts.releaseAutoRollbackClaim(scope, deploy.releaseId);
        throw error;
      }
      await this.audit.record({
        organizationId: deploy.organizationId,
        action: 'deployment.auto_rolled_back',
        target: `environment:${deploy.environmentPath}`,
        metadata: {
          fromRelease: deploy.releaseNumber,
          toRelease: deploy.previousReleaseNumber,
          deploymentId,
          verdict: verdict.summary,
        },
      });
      // A lost enqueue is not lost work: the reconciler re-queues QUEUED deployments from their rows.
      await this.queue.enqueue('deploy', deploymentId, { organizationId: deploy.organizationId, deploymentId });
      this.logger.warn(`${deploy.environmentPath}: rolling back from v${deploy.releaseNumber} to v${deploy.previousReleaseNumber}: ${verdict.summary}`);
      outcomes.push({ releaseId: deploy.releaseId, result: 'rolled-back', deploymentId });
    }
    return outcomes;
  }
}
