import { setTimeout as sleep } from 'node:timers/promises';
import { isFinalStatus, type TenantScope } from '@slipway/contracts';
import type { BuildsService } from '@slipway/builds';
import type { DeploymentsService } from './deployments.service';

const POLL_MS = 300;

/** How long a push may wait, overall and for a worker to pick its work up. */
export interface PushWaits {
  /** Epoch ms after which the push stops waiting (PUSH_WAIT_SECONDS after it started). */
  deadline: number;
  /** Longest wait for a worker to start a build or a deployment (PUSH_QUEUE_WAIT_SECONDS), in ms. */
  queueWaitMs: number;
}

/** Where the console shows what the push leaves behind. */
export interface PushLinks {
  build(buildId: string): string;
  environment(environmentName: string): string;
  deployment(environmentName: string, deploymentId: string): string;
}

/**
 * 'ok': live. 'failed': the build or deployment failed (the push is refused). 'left': the push
 * stopped waiting and said where to follow the rest; nothing failed.
 */
export type FollowOutcome = 'ok' | 'failed' | 'left';

/**
 * Follows one build and the deployment of its release for a push, writing build lines and
 * deployment steps as they come, within the push's waits: a build or deployment no worker
 * starts within `queueWaitMs`, a deployment that does not appear as long after its build, and
 * anything still running at the deadline end the wait with a sentence saying what happened and
 * the console page that follows it. Final statuses are contracts' `FINAL_STATUSES`.
 */
export class PushFollow {
  constructor(
    private readonly scope: TenantScope,
    private readonly builds: Pick<BuildsService, 'find' | 'logLines' | 'releaseOfBuild'>,
    private readonly deployments: Pick<DeploymentsService, 'forRelease' | 'progress'>,
    private readonly say: (line: string) => void,
    private readonly links: PushLinks,
    private readonly waits: PushWaits,
  ) {}

  async follow(buildId: string, envName: string, appUrl: string): Promise<FollowOutcome> {
    const built = await this.followBuild(buildId);
    if (built !== 'ok') return built;
    const release = await this.builds.releaseOfBuild(this.scope, buildId);
    if (!release) return 'failed';
    const deploymentId = await this.deploymentOf(release, envName);
    if (!deploymentId) return 'left';
    return this.followDeployment(deploymentId, release.number, envName, appUrl);
  }

  private async followBuild(buildId: string): Promise<FollowOutcome> {
    let seq = -1;
    let attempt: number | null = null;
    const since = Date.now();
    const queuedUntil = Math.min(this.waits.deadline, since + this.waits.queueWaitMs);
    for (;;) {
      const build = await this.builds.find(this.scope, buildId);
      if (!build) return 'failed';
      // A restarted build (its worker stopped) logs again from the start, under a new attempt.
      if (attempt !== null && build.attempt !== attempt && build.status !== 'QUEUED') seq = -1;
      attempt = build.attempt;
      for (const l of await this.builds.logLines(this.scope, buildId, seq)) {
        this.say(l.line);
        seq = l.seq;
      }
      if (isFinalStatus(build.status)) {
        if (build.status === 'SUCCEEDED') return 'ok';
        this.say(`Build ${build.status === 'CANCELLED' ? 'cancelled' : 'failed'}: ${build.failureReason ?? 'unknown reason'}`);
        return 'failed';
      }
      const now = Date.now();
      if (build.status === 'QUEUED' && now > queuedUntil) {
        this.leave(`No worker has started this build after ${waitedSince(since)} (all busy, or none running). It stays queued, and builds and deploys when a worker takes it`, this.links.build(buildId));
        return 'left';
      }
      if (now > this.waits.deadline) {
        this.leave('The build is still running; it goes on, and deploys when it is done', this.links.build(buildId));
        return 'left';
      }
      await sleep(POLL_MS);
    }
  }

  /** The deployment the worker queues for the release right after its build (or the reconciler, if that worker stopped). */
  private async deploymentOf(release: { id: string; number: number }, envName: string): Promise<string | null> {
    const since = Date.now();
    const until = Math.min(this.waits.deadline, since + this.waits.queueWaitMs);
    for (;;) {
      const deployment = await this.deployments.forRelease(this.scope, release.id);
      if (deployment) return deployment.id;
      if (Date.now() > until) {
        this.leave(`v${release.number} is built, but its deployment was not queued within ${waitedSince(since)} (the worker that built it stopped?); it is queued within a minute and deploys then`, this.links.environment(envName));
        return null;
      }
      await sleep(POLL_MS);
    }
  }

  private async followDeployment(deploymentId: string, number: number, envName: string, appUrl: string): Promise<FollowOutcome> {
    let after = -1n;
    const since = Date.now();
    const queuedUntil = Math.min(this.waits.deadline, since + this.waits.queueWaitMs);
    for (;;) {
      const p = await this.deployments.progress(this.scope, deploymentId, after);
      for (const e of p.events) {
        this.say(`-----> ${e.message}`);
        after = e.id;
      }
      if (isFinalStatus(p.status)) {
        if (p.status === 'SUCCEEDED') {
          this.say(`-----> ${envName} is live at ${appUrl}`);
          return 'ok';
        }
        this.say(`-----> Deployment ${p.status === 'CANCELLED' ? 'cancelled' : 'failed'}: ${p.failureReason ?? 'unknown reason'}. The previous release keeps serving.`);
        for (const line of (p.failedReplicaLogs ?? '').split('\n').filter(Boolean)) this.say(`       | ${line}`);
        return 'failed';
      }
      const now = Date.now();
      if (p.status === 'QUEUED' && now > queuedUntil) {
        this.leave(`No worker has started the deployment of v${number} after ${waitedSince(since)} (busy with another deployment of ${envName}, or none running). It stays queued`, this.links.deployment(envName, deploymentId));
        return 'left';
      }
      if (now > this.waits.deadline) {
        this.leave(`The deployment of v${number} is still running; it goes on`, this.links.deployment(envName, deploymentId));
        return 'left';
      }
      await sleep(POLL_MS);
    }
  }

  private leave(what: string, link: string): void {
    this.say(`-----> ${what}.`);
    this.say(`-----> Follow it at ${link}`);
    this.say('-----> This push stops waiting here; nothing failed, so the commit is stored.');
  }
}

const waitedSince = (since: number): string => `${Math.round((Date.now() - since) / 1000)} s`;
