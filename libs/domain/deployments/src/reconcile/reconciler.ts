import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { CONTAINER_RUNTIME, LABELS, type ContainerInfo, type ContainerRuntime } from '@slipway/docker';
import { rowJobId } from '@slipway/contracts';
import { JobQueue } from '@slipway/queue';
import { HEALTH_CHECKER, REPLICA_LOG_FLUSHER, ROUTE_TABLE_PUBLISHER, type ReplicaLogFlusher } from '../deploy-options';
import type { RouteTablePublisher } from '../route-table';
import { waitHealthy, type HealthChecker } from '../health-check';
import { readReleaseRuntime } from '../release-runtime';
import { GatewayRelays } from '../gateway-relays';
import { ReconcileRepository } from './reconcile.repository';
import { ProjectNetworks } from '../networks/project-networks';

/** A replica that crashed this many times in a row is reported as a crash loop. */
export const CRASH_LOOP_RESTARTS = 5;
/** Restart delays: 1 s, 2 s, 4 s … capped at a minute. */
export const restartDelayMs = (restarts: number): number => Math.min(60_000, 1000 * 2 ** Math.max(0, restarts - 1));
/**
 * Work this long in QUEUED whose job is gone (failed, completed, or lost with Redis) is queued
 * again under a new attempt; a release this long built and never deployed gets its deployment.
 */
const REQUEUE_AFTER_MS = 30_000;
/** A deployment RUNNING this long is failed: its health window and drain are far shorter. */
const DEPLOYMENT_STUCK_MS = 15 * 60_000;
/**
 * Containers this young are left alone while created or running: their deployment is still
 * recording them (it writes the container id once the engine has created and started it).
 */
const ORPHAN_GRACE_MS = 2 * 60_000;

type WatchedReplica = Awaited<ReturnType<ReconcileRepository['replicasToWatch']>>[number];

export interface ReconcileReport {
  crashed: number;
  restarted: number;
  orphansRemoved: number;
  failedStuck: number;
  requeued: number;
  /** Releases whose deployment was never created (the worker stopped in between), now queued. */
  deploymentsQueued: number;
  /** Gateway relays started again (missing, stopped or outdated). */
  relaysStarted: number;
  /** Networks this database allocated for projects that no longer exist, removed (their subnets freed). */
  networksRemoved: number;
}

/**
 * Desired state (Postgres) against actual state (Docker), at worker start and on a timer:
 * crashed replicas restart with backoff (a crash loop becomes a visible event), orphan
 * containers of our environments are removed (and networks this database allocated for
 * projects that are gone), stuck deployments and builds are failed with a reason, queued work whose job was lost or failed is queued again under a new attempt (a
 * new job id: BullMQ ignores an id it still holds), the newest release of an environment that
 * was built but never deployed gets its deployment, and every project with replicas has its
 * gateway relay running. Postgres is the state machine; this only repairs. It runs as a BullMQ
 * job scheduler (one pass at a time across all workers; apps/worker).
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger('reconciler');
  private readonly health: HealthChecker;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(ROUTE_TABLE_PUBLISHER) private readonly routes: RouteTablePublisher,
    private readonly repository: ReconcileRepository,
    private readonly queue: JobQueue,
    private readonly relays: GatewayRelays,
    @Optional() @Inject(HEALTH_CHECKER) health?: HealthChecker,
    @Optional() @Inject(REPLICA_LOG_FLUSHER) private readonly logs?: ReplicaLogFlusher,
    @Optional() @Inject(ProjectNetworks) private readonly networks?: Pick<ProjectNetworks, 'removeOrphans'>,
  ) {
    this.health = health ?? waitHealthy;
  }

  async run(now = new Date()): Promise<ReconcileReport> {
    const report: ReconcileReport = { crashed: 0, restarted: 0, orphansRemoved: 0, failedStuck: 0, requeued: 0, deploymentsQueued: 0, relaysStarted: 0, networksRemoved: 0 };
    // One list of the managed containers per pass, shared by both checks: a pass costs one
    // engine request however many apps run (docs/capacity.md, "Density").
    // The watched replicas are read before the list, so every one of them had its container
    // before it: one missing from the list is gone. The orphan check reads its rows after it.
    const watched = await this.repository.replicasToWatch();
    const containers = await this.runtime.listContainers({}, { all: true });
    const routesChanged = await this.replicas(watched, containers, now, report);
    await this.orphans(containers, now, report);
    report.networksRemoved = (await this.networks?.removeOrphans()) ?? 0;
    await this.stuck(now, report);
    await this.lostJobs(now, report);
    await this.neverDeployed(now, report);
    if (routesChanged) await this.routes.publish();
    // Last: a relay the engine refuses is logged by GatewayRelays and must not hold up the repairs above.
    if (this.relays.needed) report.relaysStarted = await this.relays.keep(await this.repository.projectsWithReplicas());
    if (Object.values(report).some((n) => n > 0)) this.logger.log(JSON.stringify(report));
    return report;
  }

  /** Crashed replicas leave the route table at once and come back when healthy again. */
  private async replicas(watched: WatchedReplica[], listed: ContainerInfo[], now: Date, report: ReconcileReport): Promise<boolean> {
    let changed = false;
    if (!watched.length) return false;
    const containers = new Map(listed.map((c) => [c.id, c]));
    for (const r of watched) {
      const info = containers.get(r.containerId!) ?? null;
      const running = info?.state === 'running';
      if (r.state === 'HEALTHY' && !running) {
        const restarts = r.restarts + 1;
        const delay = restartDelayMs(restarts);
        await this.repository.markCrashed(r.id, { restarts, lastExitCode: info?.exitCode ?? null, nextRestartAt: new Date(now.getTime() + delay) });
        const loop = restarts >= CRASH_LOOP_RESTARTS;
        await this.repository.event(
          r.deploymentId,
          loop ? 'crash-loop' : 'replica-crashed',
          `replica ${r.index + 1} of v${r.releaseNumber} ${info ? `exited with code ${info.exitCode ?? '?'}` : 'disappeared'}${loop ? ` — crash loop (${restarts} crashes in a row)` : ''}; restarting in ${delay / 1000} s`,
          loop ? 'error' : 'warn',
        );
        report.crashed++;
        changed = true;
      } else if (r.state === 'CRASHED' && r.nextRestartAt && r.nextRestartAt <= now) {
        if (await this.restart(r)) {
          report.restarted++;
          changed = true;
        }
      }
    }
    return changed;
  }

  private async restart(r: WatchedReplica): Promise<boolean> {
    try {
      // Read here, for the few replicas that restart, not for every watched replica of every pass.
      const runtime = readReleaseRuntime(await this.repository.releaseRuntime(r.deploymentId));
      await this.runtime.startContainer(r.containerId!);
      const info = await this.runtime.getContainer(r.containerId!);
      if (!info?.hostPort) throw new Error('the container has no published port after starting');
      const health = await this.health(this.runtime, { containerId: r.containerId!, hostPort: info.hostPort, path: runtime.healthCheckPath, timeoutMs: Math.min(runtime.healthCheckTimeoutSeconds, 30) * 1000, intervalMs: 250 });
      if (!health.healthy) throw new Error(health.reason);
      await this.repository.setState(r.id, 'HEALTHY', { hostPort: info.hostPort, nextRestartAt: null });
      await this.repository.event(r.deploymentId, 'replica-restarted', `replica ${r.index + 1} restarted and healthy again`, 'info');
      return true;
    } catch (err) {
      const delay = restartDelayMs(r.restarts + 1);
      await this.repository.markCrashed(r.id, { restarts: r.restarts + 1, lastExitCode: r.lastExitCode, nextRestartAt: new Date(Date.now() + delay) });
      await this.repository.event(r.deploymentId, 'replica-restart-failed', `replica ${r.index + 1} did not come back (${err instanceof Error ? err.message : String(err)}); next try in ${delay / 1000} s`, 'warn');
      return false;
    }
  }

  /**
   * Containers of our environments that no replica row wants. Containers of environments this
   * database does not know are left alone: the Docker engine may be shared.
   */
  private async orphans(listed: ContainerInfo[], now: Date, report: ReconcileReport): Promise<void> {
    const containers = listed.filter((c) => c.labels[LABELS.environment] && c.labels[LABELS.deployment]);
    if (!containers.length) return;
    const { known, replicas } = await this.repository.replicasOfEnvironments([...new Set(containers.map((c) => c.labels[LABELS.environment]!))]);
    const wanted = new Set(replicas.flatMap((r) => [r.containerId!, r.containerName]));
    for (const c of containers) {
      if (!known.has(c.labels[LABELS.environment]!) || wanted.has(c.id) || wanted.has(c.name.replace(/^\//, ''))) continue;
      // 'created' too: on a loaded engine, create and start are seconds apart, and a pass that
      // listed the container in between removed it under its deployment (seen in bench:density).
      if (now.getTime() - c.createdAt.getTime() < ORPHAN_GRACE_MS && (c.state === 'running' || c.state === 'created')) continue;
      await this.logs?.flushContainer(c.id);
      await this.runtime.removeContainer(c.id, { force: true });
      report.orphansRemoved++;
    }
  }

  private async stuck(now: Date, report: ReconcileReport): Promise<void> {
    for (const d of await this.repository.stuckDeployments(new Date(now.getTime() - DEPLOYMENT_STUCK_MS))) {
      if (await this.repository.failDeployment(d.id, `Did not finish within ${DEPLOYMENT_STUCK_MS / 60_000} minutes (its worker stopped?). The previous release stays live.`)) report.failedStuck++;
    }
    const buildDeadline = (this.config.BUILD_TIMEOUT_SECONDS + 120) * 1000;
    for (const b of await this.repository.stuckBuilds(new Date(now.getTime() - buildDeadline))) {
      if (await this.repository.failBuild(b.id, `Did not finish within ${Math.round(buildDeadline / 60_000)} minutes (its worker stopped?).`)) report.failedStuck++;
    }
  }

  /**
   * QUEUED rows whose job will never run: the job of the attempt they were queued for failed for
   * good (say, a database outage at its start), completed, or was lost with Redis. Each gets a
   * new attempt and a job of that attempt's id. A job still waiting (behind other work, or
   * retrying while its environment is busy) is left alone, so nothing runs twice.
   */
  private async lostJobs(now: Date, report: ReconcileReport): Promise<void> {
    const before = new Date(now.getTime() - REQUEUE_AFTER_MS);
    for (const b of await this.repository.waitingBuilds(before)) {
      if (await this.queue.isPending('build', rowJobId(b.id, b.attempt))) continue;
      const attempt = await this.repository.nextBuildAttempt(b.id, b.attempt);
      if (attempt === null) continue;
      await this.queue.enqueue('build', rowJobId(b.id, attempt), { organizationId: b.organizationId, buildId: b.id, objects: {} });
      report.requeued++;
    }
    for (const d of await this.repository.waitingDeployments(before)) {
      if (await this.queue.isPending('deploy', rowJobId(d.id, d.attempt))) continue;
      const attempt = await this.repository.nextDeploymentAttempt(d.id, d.attempt);
      if (attempt === null) continue;
      await this.queue.enqueue('deploy', rowJobId(d.id, attempt), { organizationId: d.organizationId, deploymentId: d.id });
      report.requeued++;
    }
  }

  /** A release built just before its worker stopped is deployed all the same (the newest only). */
  private async neverDeployed(now: Date, report: ReconcileReport): Promise<void> {
    for (const release of await this.repository.releasesNeverDeployed(new Date(now.getTime() - REQUEUE_AFTER_MS))) {
      const deployment = await this.repository.queueFirstDeployment(release);
      if (!deployment) continue;
      await this.queue.enqueue('deploy', rowJobId(deployment.id, deployment.attempt), { organizationId: deployment.organizationId, deploymentId: deployment.id });
      report.deploymentsQueued++;
    }
  }
}
