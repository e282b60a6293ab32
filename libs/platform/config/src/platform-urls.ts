import type { Config } from './schema';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * The gateway as the platform itself reaches it (its own features ask models through it): the
 * api on its bound interface, loopback when it binds every interface. Not the app-facing
 * `appsGatewayUrl` (gateway-socket.ts), which names the relay on the containers' own network.
 */
export function platformGatewayUrl(config: Pick<Config, 'API_HOST' | 'API_PORT'>): string {
  const host = config.API_HOST.trim();
  const reachable = WILDCARDS.has(host) ? '127.0.0.1' : host;
  const bracketed = reachable.includes(':') && !reachable.startsWith('[') ? `[${reachable}]` : reachable;
  return `http://${bracketed}:${config.API_PORT}`;
}

/**
 * Whether the session cookies are Secure with the `__Host-` prefix: when the console is served
 * over HTTPS (its public URL says so) or COOKIE_SECURE is set (TLS ends in front of it).
 */
export function cookiesSecure(config: Pick<Config, 'COOKIE_SECURE' | 'PUBLIC_CONSOLE_URL'>): boolean {
  return config.COOKIE_SECURE || new URL(config.PUBLIC_CONSOLE_URL).protocol === 'https:';
}
