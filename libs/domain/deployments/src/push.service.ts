import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { isCommitish, readCommit, type ObjectEnv } from '@slipway/git';
import { JobQueue } from '@slipway/queue';
import { BuildsService, checkCommitSource } from '@slipway/builds';
import type { TenantScope } from '@slipway/contracts';
import { DeploymentsService } from './deployments.service';

export interface RefUpdate {
  oldSha: string;
  newSha: string;
  ref: string;
}

const ZERO_SHA = /^0+$/;
const POLL_MS = 300;
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * A `git push` as the user lives it: for each pushed branch, the environments that follow
 * it are built and deployed while the push waits, and every build line and deployment step
 * is written back (git shows them as `remote:` lines). Resolves false when any build or
 * deployment failed, so the pre-receive hook rejects the push.
 *
 * Before anything is queued, the tree of every pushed commit is checked (links that leave the
 * repository, PUSH_MAX_* limits): one bad ref refuses the whole push, nothing is built, and
 * git keeps none of its objects.
 */
@Injectable()
export class PushService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly builds: BuildsService,
    private readonly queue: JobQueue,
    private readonly deployments: DeploymentsService,
  ) {}

  async receive(scope: TenantScope, target: { projectId: string; repositoryPath: string }, updates: RefUpdate[], objects: ObjectEnv, say: (line: string) => void, urlOf: (environmentName: string) => string): Promise<boolean> {
    if (!(await this.sourcesAcceptable(target.repositoryPath, updates, objects, say))) return false;
    let ok = true;
    for (const update of updates) {
      const branch = update.ref.replace(/^refs\/heads\//, '');
      if (!update.ref.startsWith('refs/heads/') || ZERO_SHA.test(update.newSha)) continue;
      const environments = await this.builds.environmentsFollowing(scope, target.projectId, branch);
      if (!environments.length) {
        say(`No environment follows branch ${branch}: nothing was deployed.`);
        continue;
      }
      const commit = await readCommit(target.repositoryPath, update.newSha, objects);
      for (const env of environments) {
        const build = await this.builds.queue(scope, { projectId: target.projectId, environmentId: env.id, branch }, commit);
        await this.queue.enqueue('build', build.id, { organizationId: scope.organizationId, buildId: build.id, objects: objects as Record<string, string> });
        ok = (await this.follow(scope, build.id, env.name, say, urlOf(env.name))) && ok;
      }
    }
    return ok;
  }

  /** Says why and resolves false when a pushed commit's tree may not be stored or built. */
  private async sourcesAcceptable(repositoryPath: string, updates: RefUpdate[], objects: ObjectEnv, say: (line: string) => void): Promise<boolean> {
    for (const update of updates) {
      if (ZERO_SHA.test(update.newSha)) continue; // a deletion brings no files
      // Branches are what gets built; a tag may point at a tree or a blob, which is never built.
      if (!update.ref.startsWith('refs/heads/') && !(await isCommitish(repositoryPath, update.newSha, objects))) continue;
      const problem = await checkCommitSource(repositoryPath, update.newSha, this.config, objects);
      if (problem) {
        say(`Push refused: ${update.ref.replace(/^refs\/(heads|tags)\//, '')} (${update.newSha.slice(0, 7)}): ${problem}`);
        say('Nothing was built or deployed.');
        return false;
      }
    }
    return true;
  }

  private async follow(scope: TenantScope, buildId: string, envName: string, say: (line: string) => void, url: string): Promise<boolean> {
    let seq = -1;
    for (;;) {
      for (const l of await this.builds.logLines(scope, buildId, seq)) {
        say(l.line);
        seq = l.seq;
      }
      const build = await this.builds.find(scope, buildId);
      if (!build || FINAL.has(build.status)) {
        for (const l of await this.builds.logLines(scope, buildId, seq)) say(l.line);
        if (build?.status !== 'SUCCEEDED') {
          say(`Build ${build?.status === 'CANCELLED' ? 'cancelled' : 'failed'}: ${build?.failureReason ?? 'unknown reason'}`);
          return false;
        }
        break;
      }
      await sleep(POLL_MS);
    }
    const release = await this.builds.releaseOfBuild(scope, buildId);
    if (!release) return false;
    let deployment = await this.deployments.forRelease(scope, release.id);
    while (!deployment) {
      await sleep(POLL_MS);
      deployment = await this.deployments.forRelease(scope, release.id);
    }
    let after = -1n;
    for (;;) {
      const p = await this.deployments.progress(scope, deployment.id, after);
      for (const e of p.events) {
        say(`-----> ${e.message}`);
        after = e.id;
      }
      if (FINAL.has(p.status)) {
        if (p.status === 'SUCCEEDED') {
          say(`-----> ${envName} is live at ${url}`);
          return true;
        }
        say(`-----> Deployment failed: ${p.failureReason ?? 'unknown reason'}. The previous release keeps serving.`);
        for (const line of (p.failedReplicaLogs ?? '').split('\n').filter(Boolean)) say(`       | ${line}`);
        return false;
      }
      await sleep(POLL_MS);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
