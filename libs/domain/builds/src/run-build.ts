import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { BuildCancelledError, BuildFailedError, CONTAINER_RUNTIME, LABELS, type ContainerRuntime } from '@slipway/docker';
import { GitRepositories, extractCommit, type ObjectEnv } from '@slipway/git';
import { pushObjects } from './push-objects';
import { SecretsService, createRedactor } from '@slipway/secrets';
import type { TenantScope } from '@slipway/contracts';
import type { Tx } from '@slipway/db';
import { OrgQuotas } from '@slipway/projects';
import { AppError, SupersededAttemptError } from '@slipway/errors';
import { BuildsRepository } from './builds.repository';
import { BuildLog, type BuildLogListener } from './build-log';
import { UnsafeSourceError, checkedContextFolder, sourceFolder, writeGeneratedFile } from './source-folder';
import { checkCommitSource } from './source-check';
import {
  GENERATED_CA,
  GENERATED_DOCKERFILE_NAME,
  GENERATED_NGINX_CONF,
  SLIPWAY_YAML,
  buildCacheKey,
  describePlan,
  detectRecipe,
  explainBuildFailure,
  formatSlipwayYamlErrors,
  generateDockerfile,
  generateDockerignore,
  generateNginxConfig,
  joinPath,
  parseSlipwayYaml,
  planLines,
  type BuildableRecipe,
  type DockerfileOptions,
  type SlipwayConfig,
  type SourceTree,
} from './recipe';

/** The app listens here unless slipway.yaml says otherwise; it gets it as $PORT. */
export const DEFAULT_APP_PORT = 3000;

/** A build the user must fix (bad slipway.yaml, nothing detectable): failed, not retried. */
class BuildRejected extends Error {}

/** Lines of build output kept to explain a failed step (npm prints its usage text after the reason). */
const FAILURE_TAIL_LINES = 200;
/** Where the host keeps its CA bundle on Debian/Ubuntu; builds trust it unless SLIPWAY_BUILD_CA_FILE says otherwise. */
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export interface RunBuildOptions {
  /** Objects of a push still in quarantine (the pre-receive hook's environment). */
  objects?: ObjectEnv;
  signal?: AbortSignal;
  onLine?: BuildLogListener;
}

export type BuildOutcome =
  | { status: 'SUCCEEDED'; releaseId: string; reusedImage: boolean }
  | { status: 'FAILED' | 'CANCELLED'; reason: string }
  | { status: 'SKIPPED' };

/** Another build of the project is running: retry later (one build at a time per project). */
export class BuildBusyError extends AppError {
  constructor() {
    super('SERVICE_UNAVAILABLE', 'Another build of this project is running; this one waits its turn.', undefined, { retryable: true });
  }
}

/**
 * Runs one QUEUED build to its end: checkout of the commit → slipway.yaml → recipe →
 * image (reused when the cache key matches) → immutable release. Every outcome is written to
 * the build row; the caller only reads the result.
 */
@Injectable()
export class RunBuild {
  private readonly logger = new Logger('builds');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    private readonly repository: BuildsRepository,
    private readonly repositories: GitRepositories,
    private readonly secrets: SecretsService,
    private readonly quotas: OrgQuotas,
  ) {}

  async execute(scope: TenantScope, buildId: string, options: RunBuildOptions = {}): Promise<BuildOutcome> {
    const build = await this.repository.findForRun(scope, buildId);
    const claim = build ? await this.repository.markRunning(scope, buildId, new Date()) : false;
    if (claim === 'BUSY') throw new BuildBusyError();
    if (!build || !claim) return { status: 'SKIPPED' };
    const { attempt } = claim;
    const env = build.environment;
    const redact = createRedactor(await this.secrets.secretValues(scope, env.id));
    // A newer attempt claimed the build (this copy of the job lost its queue lock): stop building.
    const superseded = new AbortController();
    const log = new BuildLog({ id: build.id, attempt }, this.repository, redact, options.onLine, this.config, (err) =>
      superseded.abort(err),
    );
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.config.BUILD_TIMEOUT_SECONDS * 1000),
      superseded.signal,
      ...(options.signal ? [options.signal] : []),
    ]);
    const workdir = await mkdtemp(join(tmpdir(), 'slipway-build-'));
    const tail: string[] = [];
    const objects = await pushObjects(options.objects);
    try {
      if (claim.start === 'RESTARTED') log.write('-----> The previous attempt stopped with its worker; building again');
      log.write(`-----> Building ${build.commitSha.slice(0, 7)} "${build.message}" for ${env.project.slug}/${env.name}`);
      const source = join(workdir, 'src');
      // The push-time check again: commits pushed before it existed must not reach the disk either.
      const unsafe = await checkCommitSource(this.repositories.pathOf(env.project.id), build.commitSha, this.config, objects);
      if (unsafe) throw new BuildRejected(unsafe);
      await extractCommit(this.repositories.pathOf(env.project.id), build.commitSha, source, objects);
      const tree = sourceFolder(source);

      const parsed = parseSlipwayYaml((await tree.readFile(SLIPWAY_YAML)) ?? '');
      if (!parsed.ok) throw new BuildRejected(formatSlipwayYamlErrors(parsed.errors).join('; '));
      const slipway: SlipwayConfig = parsed.config;
      const resources = { replicas: slipway.resources?.replicas ?? env.replicas, memoryMb: slipway.resources?.memoryMb ?? env.memoryMb };
      // Before building, so a release that could never run costs no build; again when it is written.
      await this.assertReleaseFits(scope, env.id, resources);
      const recipe = await detectRecipe(tree, slipway);
      if (recipe.kind === 'none') throw new BuildRejected(recipe.reason);
      log.write('-----> Build plan');
      for (const line of planLines(recipe)) log.write(`       ${line}`);
      for (const warning of recipe.warnings) log.write(`       warning: ${warning}`);

      const baseImages = { node: this.config.SLIPWAY_BASE_IMAGE_NODE, static: this.config.SLIPWAY_BASE_IMAGE_STATIC };
      const port = slipway.run?.port ?? DEFAULT_APP_PORT;
      const cacheKey = buildCacheKey({ commitSha: build.commitSha, recipe, config: slipway, baseImages, port });
      await this.repository.setCacheKey(scope, build.id, attempt, cacheKey);

      let imageId = await this.reusableImage(scope, env.project.id, cacheKey);
      const reusedImage = imageId !== null;
      if (imageId) {
        log.write(`-----> Reusing the image of an identical earlier build (${imageId.slice(7, 19)})`);
      } else {
        log.write(
          `-----> ${recipe.kind === 'dockerfile' ? `Building ${recipe.dockerfile}` : `Building with a generated Dockerfile (${GENERATED_DOCKERFILE_NAME} in the image's build context)`}`,
        );
        const { contextDir, dockerfile } = await this.prepareContext(recipe, source, tree, {
          baseImages,
          port,
          cacheScope: env.project.id,
          registry: this.config.SLIPWAY_NPM_REGISTRY,
        });
        ({ imageId } = await this.runtime
          .buildImage({
            contextDir,
            dockerfile,
            tags: [`slipway/${env.project.slug}:${build.commitSha.slice(0, 12)}`],
            labels: { [LABELS.project]: env.project.id, [LABELS.environment]: env.id, [LABELS.build]: build.id },
            buildArgs: recipe.kind === 'dockerfile' ? recipe.buildArgs : slipway.build?.args,
            network: this.config.BUILD_NETWORK,
            onLog: (line) => {
              log.write(line);
              tail.push(line);
              if (tail.length > FAILURE_TAIL_LINES) tail.shift();
            },
            signal,
          })
          .catch((err: unknown) => {
            if (err instanceof BuildFailedError) throw new BuildFailedError(explainBuildFailure(recipe, err.message, tail));
            throw err;
          }));
      }

      const variables = await this.secrets.resolveForRelease(scope, env.id);
      const release = await this.repository.transaction(async (tx) => {
        await this.assertReleaseFits(scope, env.id, resources, tx);
        const created = await this.repository.createRelease(
          scope,
          {
            projectId: env.project.id,
            environmentId: env.id,
            buildId: build.id,
            imageId: imageId!,
            commitSha: build.commitSha,
            authorName: build.authorName,
            message: build.message,
            envVarVersions: Object.fromEntries(variables.map((v) => [v.key, v.version])),
            slipwayConfig: JSON.parse(JSON.stringify(slipway)),
            buildPlan: { rows: describePlan(recipe).map(([label, value]) => ({ label, value })), warnings: recipe.warnings },
            runtime: {
              port,
              healthCheckPath: slipway.healthCheck?.path ?? env.healthCheckPath,
              healthCheckTimeoutSeconds: slipway.healthCheck?.timeoutSeconds ?? 60,
              memoryMb: resources.memoryMb,
              cpuMillis: slipway.resources?.cpuMillis ?? env.cpuMillis,
              replicas: resources.replicas,
              capAdd: slipway.capabilities?.add ?? [],
              command: slipway.run?.command ?? null,
            },
          },
          tx,
        );
        // The log is complete before the build is final: a follower stops reading at the final status.
        log.write(`-----> Built release v${created.number}`);
        await log.flush();
        // Conditional on the attempt: a stale copy's release is rolled back with it.
        if (!(await this.repository.finish(scope, build.id, attempt, { status: 'SUCCEEDED', imageId, cacheKey, reusedImage }, tx)))
          throw new SupersededAttemptError(`build ${build.id}`, attempt);
        return created;
      });
      return { status: 'SUCCEEDED', releaseId: release.id, reusedImage };
    } catch (err) {
      const stale =
        err instanceof SupersededAttemptError
          ? err
          : superseded.signal.reason instanceof SupersededAttemptError
            ? superseded.signal.reason
            : null;
      if (stale) {
        // The newer attempt owns the row, its log and its outcome: write nothing, remove nothing of it.
        this.logger.warn(`${stale.message}; this copy stops`);
        return { status: 'SKIPPED' };
      }
      const { status, reason } = this.classify(err, signal);
      log.write(`-----> Build ${status === 'CANCELLED' ? 'cancelled' : 'failed'}: ${reason}`);
      await log.flush().catch((e: unknown) => this.logger.warn(`build ${build.id}: could not store log lines: ${String(e)}`));
      if (!(await this.repository.finish(scope, build.id, attempt, { status, failureReason: redact(reason) })))
        return { status: 'SKIPPED' };
      if (!(
        err instanceof BuildRejected ||
        err instanceof BuildFailedError ||
        err instanceof BuildCancelledError ||
        err instanceof UnsafeSourceError
      ))
        this.logger.error(`build ${build.id}: ${err instanceof Error ? err.stack : String(err)}`);
      return { status, reason: redact(reason) };
    } finally {
      await log.flush().catch((e: unknown) => this.logger.warn(`build ${build.id}: could not store log lines: ${String(e)}`));
      await rm(workdir, { recursive: true, force: true });
    }
  }

  /**
   * The release's replicas and memory (slipway.yaml `resources` over the environment's settings)
   * must fit the organization's quotas; past them the build fails with the quota's reason. Inside
   * `tx` when given (the release's transaction, under the organization's lock).
   */
  private async assertReleaseFits(
    scope: TenantScope,
    environmentId: string,
    resources: { replicas: number; memoryMb: number },
    tx?: Tx,
  ): Promise<void> {
    const check = (t: Tx) => this.quotas.assertEnvironmentFits(scope, { environmentId, release: resources }, t);
    try {
      await (tx ? check(tx) : this.repository.transaction(check));
    } catch (err) {
      if (err instanceof AppError && err.code === 'QUOTA_EXCEEDED') {
        throw new BuildRejected(
          `QUOTA_EXCEEDED: this release asks for ${resources.replicas} replica${resources.replicas === 1 ? '' : 's'} of ${resources.memoryMb} MB. ${err.message}`,
        );
      }
      throw err;
    }
  }

  /**
   * The context folder (a real folder of the commit, never reached through a link) and the
   * Dockerfile to build, relative to it. For a detected app the generated files (Dockerfile,
   * nginx.conf, the CA bundle builds trust, the .dockerignore) are written as new files, never
   * through whatever the commit put at their paths.
   */
  private async prepareContext(
    recipe: BuildableRecipe,
    source: string,
    tree: SourceTree,
    options: Omit<DockerfileOptions, 'ca'>,
  ): Promise<{ contextDir: string; dockerfile: string }> {
    const contextDir = await checkedContextFolder(source, recipe.context);
    if (recipe.kind === 'dockerfile') return { contextDir, dockerfile: recipe.dockerfileInContext };
    const ca = await this.buildCa();
    const existing = await tree.readFile(joinPath(recipe.context, '.dockerignore'));
    await writeGeneratedFile(contextDir, '.dockerignore', generateDockerignore(recipe, existing));
    if (ca) await writeGeneratedFile(contextDir, GENERATED_CA, ca);
    if (recipe.kind === 'static') await writeGeneratedFile(contextDir, GENERATED_NGINX_CONF, generateNginxConfig(recipe, options.port));
    await writeGeneratedFile(contextDir, GENERATED_DOCKERFILE_NAME, generateDockerfile(recipe, { ...options, ca: ca !== null }));
    return { contextDir, dockerfile: GENERATED_DOCKERFILE_NAME };
  }

  /** The CA bundle builds trust: SLIPWAY_BUILD_CA_FILE (must exist), else the host's bundle when there is one. */
  private async buildCa(): Promise<Buffer | null> {
    const configured = this.config.SLIPWAY_BUILD_CA_FILE;
    if (configured) {
      return readFile(configured).catch((err: NodeJS.ErrnoException) => {
        throw new AppError('INTERNAL', `SLIPWAY_BUILD_CA_FILE is ${configured}, which cannot be read (${err.code ?? err.message}).`);
      });
    }
    return readFile(HOST_CA_BUNDLE).catch(() => null);
  }

  private async reusableImage(scope: TenantScope, projectId: string, cacheKey: string): Promise<string | null> {
    const candidate = await this.repository.imageForCacheKey(scope, projectId, cacheKey);
    return candidate && (await this.runtime.findImage(candidate)) ? candidate : null;
  }

  private classify(err: unknown, signal: AbortSignal): { status: 'FAILED' | 'CANCELLED'; reason: string } {
    if (err instanceof BuildCancelledError) {
      return err.reason === 'timeout' || (signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError')
        ? { status: 'FAILED', reason: `The build took longer than ${this.config.BUILD_TIMEOUT_SECONDS} s (BUILD_TIMEOUT_SECONDS).` }
        : { status: 'CANCELLED', reason: 'Cancelled.' };
    }
    if (err instanceof BuildRejected || err instanceof BuildFailedError || err instanceof UnsafeSourceError)
      return { status: 'FAILED', reason: err.message };
    return { status: 'FAILED', reason: 'Internal error while building; the platform log has details.' };
  }
}
