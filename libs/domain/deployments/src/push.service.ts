import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { isCommitish, readCommit, type ObjectEnv } from '@slipway/git';
import { JobQueue } from '@slipway/queue';
import { BuildsService, checkCommitSource } from '@slipway/builds';
import { consolePaths, rowJobId, type TenantScope } from '@slipway/contracts';
import { DeploymentsService } from './deployments.service';
import { PushFollow, type PushLinks } from './push-follow';

export interface RefUpdate {
  oldSha: string;
  newSha: string;
  ref: string;
}

const ZERO_SHA = /^0+$/;

/**
 * A `git push` as the user lives it: for each pushed branch, the environments that follow
 * it are built and deployed while the push waits, and every build line and deployment step
 * is written back (git shows them as `remote:` lines). Resolves false when any build or
 * deployment failed, so the pre-receive hook rejects the push.
 *
 * The wait is bounded (PushFollow): at most PUSH_WAIT_SECONDS in all, and PUSH_QUEUE_WAIT_SECONDS
 * for a worker to start a build or deployment. Past a bound the push says what is still going
 * on and the console page that follows it, and ends successfully (the commit is stored; the
 * queued build still needs it) unless something failed.
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
    const waits = { deadline: Date.now() + this.config.PUSH_WAIT_SECONDS * 1000, queueWaitMs: this.config.PUSH_QUEUE_WAIT_SECONDS * 1000 };
    const follower = new PushFollow(scope, this.builds, this.deployments, say, await this.links(scope, target.projectId), waits);
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
        await this.queue.enqueue('build', rowJobId(build.id, build.attempt), { organizationId: scope.organizationId, buildId: build.id, objects: objects as Record<string, string> });
        ok = (await follower.follow(build.id, env.name, urlOf(env.name))) !== 'failed' && ok;
      }
    }
    return ok;
  }

  /** The console pages of the project's builds and deployments, as absolute URLs. */
  private async links(scope: TenantScope, projectId: string): Promise<PushLinks> {
    const { org, project } = await this.deployments.projectSlugs(scope, projectId);
    const base = this.config.PUBLIC_CONSOLE_URL.replace(/\/$/, '');
    return {
      build: (buildId) => base + consolePaths.build(org, project, buildId),
      environment: (env) => base + consolePaths.environment(org, project, env),
      deployment: (env, deploymentId) => base + consolePaths.deployment(org, project, env, deploymentId),
    };
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
}
