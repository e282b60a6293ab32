import { basename, dirname, resolve } from 'node:path';
import type { Config } from './schema';

/**
 * The relay every project network gets (docs/gateway.md, "How apps reach the gateway"): its
 * name on that network and its port. Deployed apps call `http://slipway-gateway:4000`; the relay
 * forwards to the api's gateway socket, so no host port is ever opened to containers.
 */
export const GATEWAY_RELAY = { alias: 'slipway-gateway', port: 4000 } as const;

/** The gateway as deployed containers reach it: GATEWAY_URL_FOR_APPS, else the relay on their project network. */
export function appsGatewayUrl(config: Pick<Config, 'GATEWAY_URL_FOR_APPS'>): string {
  return config.GATEWAY_URL_FOR_APPS ?? `http://${GATEWAY_RELAY.alias}:${GATEWAY_RELAY.port}`;
}

/** Project networks need a relay unless the operator pointed GATEWAY_URL_FOR_APPS somewhere else. */
export function gatewayRelayNeeded(config: Pick<Config, 'GATEWAY_URL_FOR_APPS'>): boolean {
  return new URL(appsGatewayUrl(config)).hostname === GATEWAY_RELAY.alias;
}

export interface GatewaySocketLocation {
  /** Absolute path of the socket (GATEWAY_SOCKET_PATH against the working directory). */
  path: string;
  /** Its folder, which the api creates and relays mount. */
  folder: string;
  /** The socket's file name inside that folder. */
  name: string;
  /** What a relay container mounts: GATEWAY_SOCKET_MOUNT (host folder or volume name), else `folder`. */
  mount: string;
}

/** Where the api's gateway socket lives and how relay containers reach it (api and worker resolve it alike). */
export function gatewaySocketLocation(
  config: Pick<Config, 'GATEWAY_SOCKET_PATH' | 'GATEWAY_SOCKET_MOUNT'>,
  cwd = process.cwd(),
): GatewaySocketLocation {
  const path = resolve(cwd, config.GATEWAY_SOCKET_PATH);
  const folder = dirname(path);
  return { path, folder, name: basename(path), mount: config.GATEWAY_SOCKET_MOUNT ?? folder };
}
