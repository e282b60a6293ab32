import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG, GATEWAY_RELAY, appsGatewayUrl, gatewayRelayNeeded, gatewaySocketLocation, type Config } from '@slipway/config';
import { CONTAINER_RUNTIME, LABELS, RELAY_SPEC_LABEL, ROLES, relaySpecDigest, type ContainerRuntime, type GatewayRelayOptions } from '@slipway/docker';
import { AppError } from '@slipway/errors';
import { DEPLOY_OPTIONS, DEPLOYMENT_GATEWAY, type DeploymentGateway, type DeployOptions } from './deploy-options';
import { projectNetwork } from './project-network';

type RelayConfig = Pick<Config, 'SLIPWAY_RELAY_IMAGE' | 'GATEWAY_SOCKET_PATH' | 'GATEWAY_SOCKET_MOUNT'>;

/** The container name of a project's relay. */
export const relayName = (projectId: string): string => `slipway-relay-${projectId}`;

/** What the runtime is asked for: the relay of `projectId` on its network, forwarding to the api's gateway socket. */
export function gatewayRelayOptions(config: RelayConfig, projectId: string, labels: Record<string, string> = {}): GatewayRelayOptions {
  const socket = gatewaySocketLocation(config);
  return {
    name: relayName(projectId),
    image: config.SLIPWAY_RELAY_IMAGE,
    network: projectNetwork(projectId),
    alias: GATEWAY_RELAY.alias,
    port: GATEWAY_RELAY.port,
    socketMount: socket.mount,
    socketName: socket.name,
    labels: { [LABELS.project]: projectId, ...labels },
  };
}

/**
 * The gateway relay of each project network (docs/gateway.md, "How apps reach the gateway"):
 * apps call `http://slipway-gateway:4000`, a confined socat container on their network forwards
 * to the api's Unix socket, where only the gateway answers. No host port is opened to
 * containers, and the name resolves only on the project's own network.
 *
 * Relays exist only where deployments hand out the gateway (DEPLOYMENT_GATEWAY bound) and
 * GATEWAY_URL_FOR_APPS is left to them; an operator's own URL needs none.
 */
@Injectable()
export class GatewayRelays {
  readonly needed: boolean;
  private readonly logger = new Logger('gateway-relay');
  /** The last failure per project, so a relay that keeps failing is logged once, not every reconcile. */
  private readonly failing = new Map<string, string>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Optional() @Inject(DEPLOYMENT_GATEWAY) gateway?: DeploymentGateway,
    @Optional() @Inject(DEPLOY_OPTIONS) private readonly options?: DeployOptions,
  ) {
    this.needed = gateway !== undefined && gatewayRelayNeeded(config);
  }

  /** The URL apps are given, for messages. */
  get url(): string {
    return appsGatewayUrl(this.config);
  }

  /**
   * Starts the project's relay on its (existing) network, or replaces one that is missing,
   * stopped or outdated; true when it had to. A refusal (`ContainerStartError`, e.g. a missing
   * image) becomes a `RelayNotStarted` naming what to check; an unreachable engine stays retryable.
   */
  async ensure(projectId: string): Promise<boolean> {
    const options = gatewayRelayOptions(this.config, projectId, this.options?.extraLabels);
    try {
      return (await this.runtime.ensureGatewayRelay(options)).created;
    } catch (err) {
      if (err instanceof AppError && err.retryable) throw err;
      throw new RelayNotStarted(
        `${err instanceof Error ? err.message : String(err)} (relay image SLIPWAY_RELAY_IMAGE=${options.image}, socket ${options.socketMount}/${options.socketName})`,
      );
    }
  }

  /**
   * The reconciler's pass: the relays of these projects run. One image lookup and one list of
   * the relays per pass; only a relay that is missing, not running or made from other settings
   * costs more engine calls (ensure), so a pass does not grow by a request per project.
   * Returns how many were (re)started; failures are logged and retried next pass.
   */
  async keep(projectIds: string[]): Promise<number> {
    if (!this.needed || !projectIds.length) return 0;
    const imageId = await this.runtime.findImage(this.config.SLIPWAY_RELAY_IMAGE);
    const runningDigests = new Map<string, string | undefined>();
    if (imageId) {
      for (const c of await this.runtime.listContainers({ [LABELS.role]: ROLES.gatewayRelay }, { all: true }))
        if (c.state === 'running') runningDigests.set(c.name, c.labels[RELAY_SPEC_LABEL]);
    }
    let started = 0;
    for (const projectId of projectIds) {
      const options = gatewayRelayOptions(this.config, projectId, this.options?.extraLabels);
      if (imageId && runningDigests.get(options.name) === relaySpecDigest(options, imageId)) {
        this.failing.delete(projectId);
        continue;
      }
      try {
        if (await this.ensure(projectId)) started++;
        this.failing.delete(projectId);
      } catch (err) {
        if (!(err instanceof RelayNotStarted)) throw err;
        if (this.failing.get(projectId) !== err.message) this.logger.warn(`project ${projectId}: ${err.message}`);
        this.failing.set(projectId, err.message);
      }
    }
    return started;
  }
}

/** The engine refused the relay; apps of the project cannot reach the gateway until it runs. */
export class RelayNotStarted extends Error {
  readonly retryable = false;
}
