import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, appsGatewayUrl, type Config } from '@slipway/config';
import type { TenantScope } from '@slipway/contracts';
import { GatewayInvalidation } from '@slipway/redis';
import { announce } from '../callers/announce';
import { GatewayKeysService } from './gateway-keys.service';

/** What a deployment's containers get so the official SDKs reach the gateway unchanged. */
export interface GatewayContainerSettings {
  env: Record<string, string>;
  /** Extra /etc/hosts lines (`name:address`): only for an operator's GATEWAY_URL_FOR_APPS on host.docker.internal, which Linux engines do not know otherwise. */
  extraHosts: string[];
  /** The values above that are secret (the key): deployments redact them from the containers' logs. */
  secrets: string[];
}

const HOST_ALIAS = 'host.docker.internal';

/** The variables and hosts entries for gateway URL `url` and key `token`. */
export function gatewayContainerSettings(url: string, token: string): GatewayContainerSettings {
  const base = url.replace(/\/+$/, '');
  return {
    env: {
      ANTHROPIC_BASE_URL: base,
      ANTHROPIC_API_KEY: token,
      OPENAI_BASE_URL: `${base}/v1`,
      OPENAI_API_KEY: token,
      SLIPWAY_GATEWAY_URL: base,
    },
    extraHosts: new URL(base).hostname === HOST_ALIAS ? [`${HOST_ALIAS}:host-gateway`] : [],
    secrets: [token],
  };
}

/**
 * The gateway side of deployments (bound to their DEPLOYMENT_GATEWAY port by the apps, so the
 * two contexts never import each other): containers get the environment's key and the gateway
 * URL, and a switched live release drops cached callers of the environment everywhere.
 */
@Injectable()
export class GatewayAppEnvironment {
  private readonly logger = new Logger('gateway');

  constructor(
    @Inject(GatewayKeysService) private readonly keys: GatewayKeysService,
    @Inject(GatewayInvalidation) private readonly invalidation: GatewayInvalidation,
    @Inject(CONFIG) private readonly config: Pick<Config, 'GATEWAY_URL_FOR_APPS'>,
  ) {}

  /** The gateway as containers reach it: GATEWAY_URL_FOR_APPS, else the relay on their project network (deployments start it). */
  get url(): string {
    return appsGatewayUrl(this.config);
  }

  async containerSettings(scope: TenantScope, environmentId: string): Promise<GatewayContainerSettings> {
    return gatewayContainerSettings(this.url, await this.keys.ensureEnvironmentKey(scope, environmentId));
  }

  async liveReleaseChanged(_scope: TenantScope, environmentId: string): Promise<void> {
    await announce(this.invalidation, { environmentId }, this.logger);
  }
}
