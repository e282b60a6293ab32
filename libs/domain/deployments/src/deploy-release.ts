import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { EdgeRouteTable, TenantScope } from '@slipway/contracts';
import { CONTAINER_RUNTIME, ContainerStartError, LABELS, type ContainerRuntime } from '@slipway/docker';
import { AppError, SupersededAttemptError } from '@slipway/errors';
import { SecretsService, type Redactor } from '@slipway/secrets';
import {
  DEPLOY_OPTIONS,
  DEPLOYMENT_GATEWAY,
  DeploymentBusyError,
  HEALTH_CHECKER,
  RELEASE_LIVE_HOOK,
  REPLICA_LOG_FLUSHER,
  ROUTE_TABLE_PUBLISHER,
  type DeployOptions,
  type DeployOutcome,
  type DeploymentGateway,
  type DeployRunOptions,
  type ReleaseLiveHook,
  type ReplicaLogFlusher,
} from './deploy-options';
import { DeploymentsRepository, type DeploymentClaim } from './deployments.repository';
import { deployLogRedactor, injectedSecretsOf } from './deploy-log-redactor';
import { GatewayRelays } from './gateway-relays';
import { MachineCapacity, MachineFullError } from './capacity/machine-capacity';
import { waitHealthy, type HealthChecker, type HealthResult } from './health-check';
import { projectNetwork } from './project-network';
import { ProjectNetworks } from './networks/project-networks';
import { healthIntervalOf, readEnvVarVersions, readReleaseRuntime } from './release-runtime';
import type { RouteTablePublisher } from './route-table';
import { Timeline, seconds } from './timeline';

/** A failure to show the user; the previous release stays live. */
class DeployRejected extends Error {
  constructor(
    message: string,
    readonly logs: string[] = [],
  ) {
    super(message);
  }
}

const DEFAULT_DRAIN_SECONDS = 5;
const PIDS_LIMIT = 256;

interface NewReplica {
  id: string;
  index: number;
  containerName: string;
  containerId?: string;
  hostPort?: number;
}

type DeploymentToRun = NonNullable<Awaited<ReturnType<DeploymentsRepository['findForRun']>>>;

/** One run of a deployment: the attempt it owns, the containers it started, whether it switched traffic. */
interface Run {
  claim: DeploymentClaim;
  /** Names of the containers this run asked the engine for (a name works before the id is known). */
  started: string[];
  switched: boolean;
  /** Secret values given to the containers besides the variables (the gateway key), redacted from their logs. */
  injectedSecrets: string[];
}

/**
 * Puts one deployment's release live with zero downtime (README: state diagrams):
 * start the new replicas beside the old ones → health-check them all → switch (live release
 * + route table) → drain → stop the old replicas. A failed health check removes the new
 * replicas and leaves the previous release and the route table untouched. Re-running a
 * RUNNING deployment (worker crash) resumes: before the switch it removes its own replicas
 * and starts over; after it, it republishes and finishes the drain.
 *
 * Each run owns the deployment under an attempt (README: attempt fencing): every write is
 * conditional on it, and a run that finds a newer attempt in charge stops without writing.
 */
@Injectable()
export class DeployRelease {
  private readonly logger = new Logger('deployments');
  private readonly health: HealthChecker;
  private readonly options: DeployOptions;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(DeploymentsRepository) private readonly repository: DeploymentsRepository,
    @Inject(SecretsService) private readonly secrets: Pick<SecretsService, 'valuesAt' | 'secretValues' | 'secretValuesAt'>,
    @Inject(ROUTE_TABLE_PUBLISHER) private readonly routes: RouteTablePublisher,
    @Optional() @Inject(HEALTH_CHECKER) health?: HealthChecker,
    @Optional() @Inject(DEPLOY_OPTIONS) options?: DeployOptions,
    @Optional() @Inject(DEPLOYMENT_GATEWAY) private readonly gateway?: DeploymentGateway,
    @Optional() @Inject(GatewayRelays) private readonly relays?: GatewayRelays,
    @Optional() @Inject(REPLICA_LOG_FLUSHER) private readonly logs?: ReplicaLogFlusher,
    // Absent only in unit tests built by hand: then the engine's default pools give the subnet.
    @Optional() @Inject(ProjectNetworks) private readonly networks?: ProjectNetworks,
    @Optional() @Inject(MachineCapacity) private readonly capacity?: MachineCapacity,
    @Optional() @Inject(RELEASE_LIVE_HOOK) private readonly releaseLiveHook?: ReleaseLiveHook,
  ) {
    this.health = health ?? waitHealthy;
    this.options = options ?? {};
  }

  private get drainSeconds(): number {
    const configured = (this.config as Partial<Record<string, unknown>>).DEPLOY_DRAIN_SECONDS;
    return this.options.drainSeconds ?? (typeof configured === 'number' ? configured : DEFAULT_DRAIN_SECONDS);
  }

  async execute(scope: TenantScope, deploymentId: string, options: DeployRunOptions = {}): Promise<DeployOutcome> {
    const claimed = await this.claim(scope, deploymentId);
    if (!claimed) return { status: 'SKIPPED' };
    const d = await this.repository.findForRun(scope, deploymentId);
    if (!d) return { status: 'SKIPPED' };
    const run: Run = { claim: claimed.claim, started: [], switched: false, injectedSecrets: [] };
    try {
      return await this.run(scope, d, claimed.resumed, run, options);
    } catch (err) {
      if (!(err instanceof SupersededAttemptError)) throw err;
      // A newer run owns the deployment (this copy of the job lost its queue lock, or the
      // reconciler took it over): stop here, writing nothing. Before the switch this run's
      // replicas are not wanted (the newer run removes those it knows of), so the containers it
      // started itself go; after the switch they serve traffic, and the newer run keeps them.
      if (!run.switched)
        await Promise.all(
          run.started.map(async (ref) => {
            await this.logs?.flushContainer(ref);
            await this.runtime.removeContainer(ref, { force: true }).catch(() => undefined);
          }),
        );
      this.logger.warn(`${err.message}; this copy stops`);
      return { status: 'SKIPPED' };
    }
  }

  private async run(scope: TenantScope, d: DeploymentToRun, resumed: boolean, run: Run, options: DeployRunOptions): Promise<DeployOutcome> {
    const timeline = new Timeline(scope, run.claim, this.repository, options.onEvent);
    const started = Date.now();

    if (resumed) {
      const switched = (await this.repository.events(scope, d.id)).some((e) => e.step === 'switch');
      await timeline.add(
        'resume',
        switched ? 'resuming after an interrupted run: traffic was already switched' : 'resuming after an interrupted run: starting over',
        'warn',
      );
      if (switched) {
        run.switched = true;
        return this.finishAfterSwitch(scope, run.claim, d.environmentId, d.release.id, timeline, started);
      }
      await this.removeReplicas(
        scope,
        run.claim,
        await this.repository.replicasOfDeployment(scope, d.id, ['STARTING', 'HEALTHY', 'CRASHED']),
        'FAILED',
      );
    }

    let fresh: NewReplica[];
    try {
      fresh = await this.startReplicas(scope, run, d, timeline);
      await this.healthGate(scope, run.claim, d, fresh, timeline);
    } catch (err) {
      if (err instanceof SupersededAttemptError) throw err;
      // FAILED too: a replica that exited is marked with its exit code before its container goes.
      await this.removeReplicas(
        scope,
        run.claim,
        await this.repository.replicasOfDeployment(scope, d.id, ['STARTING', 'HEALTHY', 'FAILED']),
        'FAILED',
      ).catch((e: unknown) => {
        if (e instanceof SupersededAttemptError) throw e;
        this.logger.warn(`deployment ${d.id}: clean-up failed: ${String(e)}`);
      });
      if (err instanceof DeployRejected) {
        const redacted = await this.redactor(scope, d, run);
        const reason = redacted(err.message);
        const logs = err.logs.map(redacted);
        await timeline.add('failed', `deployment failed: ${reason}`, 'error');
        await this.repository.finish(scope, run.claim, {
          status: 'FAILED',
          failureReason: reason,
          failedReplicaLogs: logs.length ? logs.join('\n') : null,
        });
        return { status: 'FAILED', reason, logs };
      }
      if (err instanceof AppError && err.retryable) throw err; // still RUNNING: the re-run resumes
      this.logger.error(`deployment ${d.id}: ${err instanceof Error ? err.stack : String(err)}`);
      const reason = err instanceof AppError ? err.message : 'Internal error while deploying; the platform log has details.';
      await timeline.add('failed', `deployment failed: ${reason}`, 'error');
      await this.repository.finish(scope, run.claim, { status: 'FAILED', failureReason: reason });
      return { status: 'FAILED', reason };
    }

    // The switch: live release, old replicas DRAINING and the `switch` event commit together
    // (while this run owns the deployment), so a resumed run knows traffic moved. From here on
    // errors leave the deployment RUNNING.
    await this.repository.setReplicaState(
      scope,
      run.claim,
      fresh.map((r) => r.id),
      'HEALTHY',
    );
    const old = await this.repository.runningReplicasNotOf(scope, d.environmentId, d.id);
    const switchEvent = { at: new Date(), step: 'switch', message: `switching traffic to v${d.release.number}`, level: 'info' } as const;
    await this.repository.asOwner(scope, run.claim, async (tx) => {
      await this.repository.setLiveRelease(scope, d.environmentId, d.release.id, tx);
      await this.repository.setReplicaState(
        scope,
        run.claim,
        old.map((r) => r.id),
        'DRAINING',
        {},
        tx,
      );
      await this.repository.appendEvent(scope, run.claim, switchEvent, tx);
    });
    run.switched = true;
    timeline.told(switchEvent);
    return this.finishAfterSwitch(scope, run.claim, d.environmentId, d.release.id, timeline, started);
  }

  /** QUEUED → RUNNING (started), RUNNING → RUNNING under a new attempt (resumed), anything else null. */
  private async claim(scope: TenantScope, id: string): Promise<{ claim: DeploymentClaim; resumed: boolean } | null> {
    const row = await this.repository.find(scope, id);
    if (!row) return null;
    if (row.status === 'RUNNING') {
      const claim = await this.repository.resume(scope, id);
      return claim && { claim, resumed: true };
    }
    if (row.status !== 'QUEUED') return null;
    const result = await this.repository.transaction((tx) => this.repository.markRunning(scope, id, row.environmentId, new Date(), tx));
    if (result === 'BUSY') throw new DeploymentBusyError(row.environmentId);
    return result === 'NOT_QUEUED' ? null : { claim: result, resumed: false };
  }

  private async startReplicas(scope: TenantScope, run: Run, d: DeploymentToRun, timeline: Timeline): Promise<NewReplica[]> {
    const { release, environment: env } = d;
    const project = env.project;
    const rt = readReleaseRuntime(release.runtime);
    const extra = this.options.extraLabels ?? {};
    // Before anything starts or stops: on a full machine the deployment fails with MACHINE_FULL
    // and the live release keeps serving untouched.
    await this.capacity?.assertRoomFor(rt.replicas * rt.memoryMb).catch((err: unknown) => {
      throw err instanceof MachineFullError ? new DeployRejected(err.message) : err;
    });
    await timeline.add('start', `starting ${rt.replicas} replica${rt.replicas === 1 ? '' : 's'} of v${release.number}`);
    // A subnet of PROJECT_NETWORK_POOL; NETWORK_POOL_EXHAUSTED fails the deployment here, before any replica starts or stops.
    const network = this.networks ? await this.networks.ensure(scope, project.id, extra) : projectNetwork(project.id);
    if (!this.networks) await this.runtime.ensureNetwork(network, { [LABELS.project]: project.id, ...extra });
    await this.ensureRelay(project.id, timeline);
    const variables = await this.secrets.valuesAt(scope, env.id, readEnvVarVersions(release.envVarVersions));
    const gateway = (await this.gateway?.containerSettings(scope, env.id)) ?? { env: {}, extraHosts: [] };
    run.injectedSecrets = injectedSecretsOf(gateway);
    const containerEnv = {
      // The environment's own variables win: a team may point an SDK at a real provider.
      ...gateway.env,
      ...variables,
      PORT: String(rt.port),
      SLIPWAY_PROJECT: project.slug,
      SLIPWAY_ENVIRONMENT: env.name,
      SLIPWAY_RELEASE: `v${release.number}`,
      SLIPWAY_COMMIT: release.commitSha,
      SLIPWAY_DEPLOYMENT: d.id,
    };

    const replicas: NewReplica[] = [];
    for (let index = 0; index < rt.replicas; index++) {
      // The row exists before the container, so a crash in between leaves a name to clean up.
      const containerName =
        `slipway-${project.slug}-${env.name}-v${release.number}-${index}-${randomBytes(2).toString('hex')}`.toLowerCase();
      const row = await this.repository.createReplica(scope, run.claim, {
        environmentId: env.id,
        releaseId: release.id,
        index,
        containerName,
      });
      const replica: NewReplica = { id: row.id, index, containerName };
      replicas.push(replica);
    }
    // allSettled: every start has finished before a failure is handled, so clean-up sees them all.
    const starts = await Promise.allSettled(
      replicas.map(async (replica) => {
        let container;
        run.started.push(replica.containerName);
        try {
          container = await this.runtime.runContainer({
            name: replica.containerName,
            image: release.imageId,
            env: containerEnv,
            containerPort: rt.port,
            labels: {
              [LABELS.project]: project.id,
              [LABELS.environment]: env.id,
              [LABELS.release]: release.id,
              [LABELS.deployment]: d.id,
              [LABELS.replica]: String(replica.index),
              ...extra,
            },
            memoryMb: rt.memoryMb,
            cpuMillis: rt.cpuMillis,
            pidsLimit: PIDS_LIMIT,
            network,
            capAdd: rt.capAdd,
            ...(gateway.extraHosts.length ? { extraHosts: gateway.extraHosts } : {}),
            ...(rt.command ? { command: ['sh', '-c', `exec ${rt.command}`] } : {}),
          });
        } catch (err) {
          if (err instanceof ContainerStartError) throw new DeployRejected(err.message);
          throw err;
        }
        replica.containerId = container.id;
        replica.hostPort = container.hostPort;
        await this.repository.setReplicaContainer(scope, run.claim, replica.id, {
          containerId: container.id,
          hostPort: container.hostPort || null,
        });
      }),
    );
    const failures = starts.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    if (failures.length) throw failures.find((e) => e instanceof SupersededAttemptError) ?? failures[0];
    return replicas;
  }

  /**
   * The project network's gateway relay runs before the replicas that call it. A relay the
   * engine refuses is a warning, not a failed deployment: the app serves without it, its model
   * calls fail until the relay runs, and the reconciler keeps trying.
   */
  private async ensureRelay(projectId: string, timeline: Timeline): Promise<void> {
    if (!this.relays?.needed) return;
    try {
      if (await this.relays.ensure(projectId))
        await timeline.add('relay', `started the model gateway relay (${this.relays.url}) on the project network`);
    } catch (err) {
      if (err instanceof SupersededAttemptError) throw err;
      if (err instanceof AppError && err.retryable) throw err; // the engine is away: the job runs again
      const reason = err instanceof Error ? err.message : String(err);
      await timeline.add(
        'relay',
        `the model gateway relay did not start: ${reason}. Calls to ${this.relays.url} fail until it runs.`,
        'warn',
      );
    }
  }

  /** Every new replica must pass; the first failure cancels the others' checks. */
  private async healthGate(
    scope: TenantScope,
    claim: DeploymentClaim,
    d: { id: string; release: { slipwayConfig: unknown; runtime: unknown } },
    replicas: NewReplica[],
    timeline: Timeline,
  ): Promise<void> {
    const rt = readReleaseRuntime(d.release.runtime);
    const abort = new AbortController();
    const results = await Promise.all(
      replicas.map(async (r): Promise<[NewReplica, HealthResult]> => {
        const result = await this.health(this.runtime, {
          containerId: r.containerId!,
          hostPort: r.hostPort ?? 0,
          path: rt.healthCheckPath,
          timeoutMs: rt.healthCheckTimeoutSeconds * 1000,
          intervalMs: healthIntervalOf(d.release.slipwayConfig) ?? this.options.healthIntervalMs ?? 500,
          signal: abort.signal,
        });
        if (result.healthy) await timeline.add('health', `replica ${r.index + 1} healthy in ${seconds(result.elapsedMs)}`);
        else abort.abort();
        return [r, result];
      }),
    );
    const failed = results.find(([, res]) => !res.healthy && !(abort.signal.aborted && res.reason === 'the health check was cancelled'));
    if (!failed) return;
    const [replica, res] = failed as [NewReplica, Extract<HealthResult, { healthy: false }>];
    if (res.exitCode !== undefined) {
      await this.repository.setReplicaState(scope, claim, [replica.id], 'FAILED', { lastExitCode: res.exitCode });
    }
    await timeline.add('health', `replica ${replica.index + 1} failed its health check: ${res.reason}`, 'error');
    throw new DeployRejected(`replica ${replica.index + 1} failed its health check (GET ${rt.healthCheckPath}): ${res.reason}`, res.logs);
  }

  private async finishAfterSwitch(
    scope: TenantScope,
    claim: DeploymentClaim,
    environmentId: string,
    releaseId: string,
    timeline: Timeline,
    started: number,
  ): Promise<DeployOutcome> {
    const published = await this.routes.publish();
    await this.tellReleaseLive(scope, environmentId, releaseId, published.table);
    // Cached gateway callers of the environment carry the old release's routing.
    await this.gateway
      ?.liveReleaseChanged(scope, environmentId)
      .catch((e: unknown) => this.logger.warn(`deployment ${claim.deploymentId}: gateway not told of the new release: ${String(e)}`));
    // Everything of other deployments still running went DRAINING in the switch transaction.
    const draining = await this.repository.runningReplicasNotOf(scope, environmentId, claim.deploymentId);
    if (draining.length > 0) {
      const label = await this.releaseLabel(scope, draining);
      await timeline.add('drain', `draining ${label} for ${this.drainSeconds} s`);
      await sleep(this.drainSeconds * 1000);
      await this.removeReplicas(scope, claim, draining, 'STOPPED');
      await timeline.add('stop', `stopped ${label}`);
    }
    const durationMs = Date.now() - started;
    await timeline.add('done', `deployment succeeded in ${seconds(durationMs)}`);
    await this.repository.finish(scope, claim, { status: 'SUCCEEDED' });
    return { status: 'SUCCEEDED', releaseId, durationMs };
  }

  /** The hook's failure is logged: a fetched OpenAPI document is a nicety, never a reason to fail a deployment. */
  private async tellReleaseLive(scope: TenantScope, environmentId: string, releaseId: string, table: EdgeRouteTable): Promise<void> {
    if (!this.releaseLiveHook) return;
    try {
      const route = table.routes.find((r) => r.environmentId === environmentId && !r.listing);
      const upstreams = (route?.upstreams ?? []).map((u) => ({ host: u.host, port: u.port }));
      await this.releaseLiveHook.releaseLive(scope, { environmentId, releaseId, upstreams });
    } catch (e) {
      this.logger.warn(`release ${releaseId}: release-live hook failed: ${String(e)}`);
    }
  }

  /**
   * SIGTERM (grace), then remove; rows end in `state`. Missing containers are fine. Only while
   * the run owns the deployment: a stale run touches no container the rows name.
   */
  private async removeReplicas(
    scope: TenantScope,
    claim: DeploymentClaim,
    replicas: { id: string; containerId: string | null; containerName: string }[],
    state: 'STOPPED' | 'FAILED',
  ): Promise<void> {
    if (replicas.length === 0) return;
    await this.repository.stillOwned(scope, claim);
    const timeoutSeconds = state === 'STOPPED' ? (this.options.stopTimeoutSeconds ?? 10) : 0;
    await Promise.all(
      replicas.map(async (r) => {
        const ref = r.containerId ?? r.containerName;
        if (state === 'STOPPED') await this.runtime.stopContainer(ref, { timeoutSeconds });
        // Its last lines (a crash at start, what it printed on SIGTERM) are stored before the container goes.
        await this.logs?.flushContainer(ref);
        await this.runtime.removeContainer(ref, { force: true });
      }),
    );
    // A replica already FAILED with its exit code keeps it.
    await this.repository.setReplicaState(
      scope,
      claim,
      replicas.map((r) => r.id),
      state,
    );
  }

  private async releaseLabel(scope: TenantScope, replicas: { releaseId: string }[]): Promise<string> {
    const ids = [...new Set(replicas.map((r) => r.releaseId))];
    const numbers = await Promise.all(ids.map(async (id) => (await this.repository.findRelease(scope, id))?.number));
    const count = replicas.length === 1 ? '1 replica' : `${replicas.length} replicas`;
    return `${numbers.map((n) => (n === undefined ? 'an unknown release' : `v${n}`)).join(', ')} (${count})`;
  }

  /** See `deployLogRedactor`: fail closed, pinned versions, today's values and the gateway key. */
  private async redactor(scope: TenantScope, d: DeploymentToRun, run: Run): Promise<Redactor> {
    return deployLogRedactor(
      this.secrets,
      scope,
      { id: d.id, environmentId: d.environmentId, envVarVersions: d.release.envVarVersions },
      run.injectedSecrets,
      (m) => this.logger.warn(m),
    );
  }
}
