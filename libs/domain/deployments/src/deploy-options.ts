import type { TenantScope } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import type { DeploymentEventListener } from './timeline';

/** Binds the RouteTablePublisher (RouteTable in DeploymentsModule). */
export const ROUTE_TABLE_PUBLISHER = Symbol('ROUTE_TABLE_PUBLISHER');
/** Optional: replaces `waitHealthy` (unit tests). */
export const HEALTH_CHECKER = Symbol('HEALTH_CHECKER');
/** Optional `DeployOptions` (DeploymentsModule.register). */
export const DEPLOY_OPTIONS = Symbol('DEPLOY_OPTIONS');
/** Optional `DeploymentGateway`: the model gateway, bound by the apps (@slipway/gateway's GatewayAppEnvironment). */
export const DEPLOYMENT_GATEWAY = Symbol('DEPLOYMENT_GATEWAY');
/** Optional `ReplicaLogFlusher`: the replica logs collector, bound by the worker (@slipway/observability's LogsCollector). */
export const REPLICA_LOG_FLUSHER = Symbol('REPLICA_LOG_FLUSHER');
/** Optional `ReleaseLiveHook`: told after a deployment put a release live (the marketplace fetches OpenAPI documents). */
export const RELEASE_LIVE_HOOK = Symbol('RELEASE_LIVE_HOOK');

/** What a release that just went live serves from: its environment's loopback upstreams. */
export interface LiveReleaseEvent {
  environmentId: string;
  releaseId: string;
  upstreams: { host: '127.0.0.1'; port: number }[];
}

/**
 * The port through which other contexts react to a release going live without deployments
 * importing them. It must bound its own time; a rejection is logged and never fails the deployment.
 */
export interface ReleaseLiveHook {
  releaseLive(scope: TenantScope, event: LiveReleaseEvent): Promise<void>;
}

/**
 * The port through which deployments and the reconciler let a replica's last log lines be
 * stored before they remove its container (a replica that crashed at start keeps its output).
 * It never throws; without it bound, lines written since the collector's last pass are lost.
 */
export interface ReplicaLogFlusher {
  flushContainer(ref: string): Promise<void>;
}

/**
 * The port through which deployments give containers the model gateway, so neither context
 * imports the other. Without it bound, containers get no gateway variables.
 */
export interface DeploymentGateway {
  /**
   * Variables pointing the official SDKs at the gateway with the environment's key, extra hosts
   * entries, and which values are secret (redacted from the containers' logs).
   */
  containerSettings(scope: TenantScope, environmentId: string): Promise<{ env: Record<string, string>; extraHosts: string[]; secrets?: string[] }>;
  /** The environment's live release changed, and with it possibly its routing. */
  liveReleaseChanged(scope: TenantScope, environmentId: string): Promise<void>;
}

export interface DeployOptions {
  /** Seconds the old replicas keep running after the switch; else Config.DEPLOY_DRAIN_SECONDS, else 5. */
  drainSeconds?: number;
  /** SIGTERM → SIGKILL grace when stopping old replicas. Default 10. */
  stopTimeoutSeconds?: number;
  /** Health-check poll interval when slipway.yaml sets none. Default 500 ms. */
  healthIntervalMs?: number;
  /** Extra labels on every container and network (tests add `slipway.test`). */
  extraLabels?: Record<string, string>;
}

export interface DeployRunOptions {
  onEvent?: DeploymentEventListener;
}

export type DeployOutcome =
  | { status: 'SUCCEEDED'; releaseId: string; durationMs: number }
  | { status: 'FAILED'; reason: string; logs?: string[] }
  | { status: 'SKIPPED' };

/** Another deployment of the environment is RUNNING; retry the job later. */
export class DeploymentBusyError extends AppError {
  constructor(environmentId: string) {
    super('SERVICE_UNAVAILABLE', `Another deployment of environment ${environmentId} is running.`, undefined, {
      retryable: true,
      retryAfterSeconds: 5,
    });
    this.name = 'DeploymentBusyError';
  }
}
