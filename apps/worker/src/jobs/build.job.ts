import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BUILD_CANCEL_CHANNEL, rowJobId } from '@slipway/contracts';
import { RedisService } from '@slipway/redis';
import { CONFIG, type Config } from '@slipway/config';
import { BuildBusyError, RunBuild } from '@slipway/builds';
import { DeploymentsService, ImageRetention } from '@slipway/deployments';
import { JobQueue, JobWorkers } from '@slipway/queue';

/**
 * Runs a queued build; a successful one is deployed right away (the push waits for both).
 * A user's cancel arrives on a Redis channel (any worker may hold the build) and aborts it.
 */
@Injectable()
export class BuildJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('build-job');
  private readonly running = new Map<string, AbortController>();
  private unsubscribe?: () => void;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly workers: JobWorkers,
    private readonly queue: JobQueue,
    private readonly runBuild: RunBuild,
    private readonly deployments: DeploymentsService,
    private readonly redis: RedisService,
    private readonly images: ImageRetention,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.register('build', (job) => this.handle(job), this.config.BUILD_CONCURRENCY);
    this.unsubscribe = this.redis.subscribe(BUILD_CANCEL_CHANNEL, (buildId) => this.running.get(buildId)?.abort());
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  /** One build at a time per project: wait (holding this slot) while another one runs. */
  private async runWhenProjectIsFree(scope: { organizationId: string }, job: { buildId: string; objects: Record<string, string> }, signal: AbortSignal) {
    const deadline = Date.now() + this.config.BUILD_TIMEOUT_SECONDS * 1000;
    for (;;) {
      try {
        return await this.runBuild.execute(scope, job.buildId, { objects: job.objects, signal });
      } catch (err) {
        if (!(err instanceof BuildBusyError) || Date.now() > deadline || signal.aborted) throw err;
        await sleep(1000);
      }
    }
  }

  async handle(job: { organizationId: string; buildId: string; objects: Record<string, string> }): Promise<void> {
    const scope = { organizationId: job.organizationId };
    const cancel = new AbortController();
    this.running.set(job.buildId, cancel);
    const outcome = await this.runWhenProjectIsFree(scope, job, cancel.signal).finally(() => this.running.delete(job.buildId));
    this.logger.log(`build ${job.buildId}: ${outcome.status}`);
    // Failed builds leave cache too. In the background, at most every 10 minutes (ImageRetention).
    void this.images.trimBuildCacheSoon();
    if (outcome.status !== 'SUCCEEDED') return;
    const deployment = await this.deployments.deployRelease(scope, { releaseId: outcome.releaseId, kind: 'DEPLOY' });
    await this.queue.enqueue('deploy', rowJobId(deployment.id, deployment.attempt), { organizationId: job.organizationId, deploymentId: deployment.id });
  }
}
